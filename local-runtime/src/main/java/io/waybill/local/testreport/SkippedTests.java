package io.waybill.local.testreport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints every skipped test of a Maven run with the reason it was skipped. Surefire's console shows only how many
 * tests a class skipped; the reason (a failed assumption such as "Docker is not available", a {@code @Disabled}
 * text) is only in its XML reports. {@code ./waybill test} runs this after {@code mvn verify}.
 *
 * <p>Uses the JDK alone, so that the launcher can run it as a single source file ({@code java SkippedTests.java})
 * even when the build failed before this module was compiled.
 */
public final class SkippedTests {

    /** One skipped test: {@code className.methodName} and the reason Surefire recorded ("" when none). */
    public record Skip(String test, String reason) {
    }

    private SkippedTests() {
    }

    /**
     * @param args the repository root, and optionally a file whose modification time starts the run: reports
     *             older than it are from an earlier run and are ignored
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        FileTime since = args.length > 1 && Files.exists(Path.of(args[1]))
                ? Files.getLastModifiedTime(Path.of(args[1])) : FileTime.fromMillis(0);
        print(find(root, since), System.out);
    }

    /** The skipped tests in every {@code target/surefire-reports} and {@code target/failsafe-reports} under root. */
    public static List<Skip> find(Path root, FileTime since) throws IOException {
        List<Skip> skips = new ArrayList<>();
        List<Path> reports;
        try (Stream<Path> files = Files.walk(root, 6)) {
            reports = files.filter(p -> p.getFileName().toString().startsWith("TEST-")
                            && p.getFileName().toString().endsWith(".xml")
                            && isReportDirectory(p.getParent())
                            && !p.toString().contains("node_modules"))
                    .filter(p -> modifiedAfter(p, since))
                    .sorted(Comparator.naturalOrder()).toList();
        }
        for (Path report : reports) {
            skips.addAll(parse(report));
        }
        return skips;
    }

    /** The skipped test cases of one Surefire XML report. */
    public static List<Skip> parse(Path report) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            Document doc = factory.newDocumentBuilder().parse(report.toFile());
            NodeList cases = doc.getElementsByTagName("testcase");
            List<Skip> skips = new ArrayList<>();
            for (int i = 0; i < cases.getLength(); i++) {
                Element testCase = (Element) cases.item(i);
                NodeList skipped = testCase.getElementsByTagName("skipped");
                if (skipped.getLength() > 0) {
                    skips.add(new Skip(testCase.getAttribute("classname") + "." + testCase.getAttribute("name"),
                            reason((Element) skipped.item(0))));
                }
            }
            return skips;
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("unreadable test report " + report + ": " + e.getMessage(), e);
        }
    }

    /**
     * Surefire puts a {@code @Disabled} text in the {@code message} attribute, but an assumption that failed in a
     * {@code @BeforeAll} only as the first line of the stack trace in the element's text.
     */
    private static String reason(Element skipped) {
        String message = skipped.getAttribute("message").strip();
        if (message.isEmpty()) {
            message = skipped.getTextContent().strip().lines().findFirst().orElse("");
        }
        return message.replaceFirst("^[\\w.$]+(Exception|Error): ", "").replaceFirst("^Assumption failed: ", "");
    }

    /** One line per skipped test, after a heading with the count; nothing when no test was skipped. */
    public static void print(List<Skip> skips, PrintStream out) {
        if (skips.isEmpty()) {
            return;
        }
        out.println("Skipped tests (" + skips.size() + "), with the reason each was skipped:");
        for (Skip s : skips) {
            out.println("  SKIPPED " + s.test() + ": " + (s.reason().isEmpty() ? "(no reason recorded)"
                    : s.reason().replaceAll("\\s+", " ")));
        }
    }

    /** {@code <module>/target/surefire-reports} or {@code .../failsafe-reports}: not a copy elsewhere (a fixture). */
    static boolean isReportDirectory(Path dir) {
        return dir != null && dir.getParent() != null && dir.getParent().getFileName() != null
                && "target".equals(dir.getParent().getFileName().toString())
                && (dir.endsWith("surefire-reports") || dir.endsWith("failsafe-reports"));
    }

    private static boolean modifiedAfter(Path p, FileTime since) {
        try {
            return Files.getLastModifiedTime(p).compareTo(since) >= 0;
        } catch (IOException e) {
            return false;
        }
    }
}
