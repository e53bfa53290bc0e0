package io.waybill.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds breaking changes between a released JSON Schema and its current version, within one major version.
 *
 * <p>A change is breaking when a document valid under the released schema may be invalid under the current one, or
 * when a consumer relying on the released schema may miss a field. Breaking:
 * <ul>
 *   <li>a property removed from {@code properties}, or a {@code $defs} entry removed;</li>
 *   <li>a property newly {@code required};</li>
 *   <li>{@code type} changed or narrowed (e.g. {@code number} to {@code integer}, or newly added);</li>
 *   <li>{@code enum} lost values, or newly added; {@code const} changed or added;</li>
 *   <li>{@code pattern} or {@code format} added or changed;</li>
 *   <li>a lower bound ({@code minimum}, {@code exclusiveMinimum}, {@code minLength}, {@code minItems},
 *       {@code minProperties}) raised or newly added;</li>
 *   <li>an upper bound ({@code maximum}, {@code exclusiveMaximum}, {@code maxLength}, {@code maxItems},
 *       {@code maxProperties}) lowered or newly added;</li>
 *   <li>{@code uniqueItems} turned on; {@code additionalProperties} turned from true/absent/a schema to false;</li>
 *   <li>{@code $ref} or {@code $id} changed (added, removed or retargeted);</li>
 *   <li>an {@code anyOf}/{@code oneOf} alternative removed or changed, an {@code allOf} member added or changed,
 *       or {@code not}/{@code if}/{@code then}/{@code else} changed (not analysed further: any change is
 *       reported).</li>
 * </ul>
 * The comparison recurses into {@code properties}, {@code items} and {@code $defs}. Adding an optional property,
 * loosening a bound, adding {@code enum} values, removing a {@code pattern}, or changing {@code description},
 * {@code title} or {@code examples} are compatible. {@code $ref} targets are compared as strings, not resolved: the
 * referenced file is checked on its own.
 *
 * <p>{@link #main(String[])} runs the check over a schemas folder (see {@link #compareFolder(Path)}).
 */
public final class SchemaCompatibility {

    private static final List<String> LOWER_BOUNDS =
            List.of("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties");
    private static final List<String> UPPER_BOUNDS =
            List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties");
    private static final List<String> OPAQUE_KEYWORDS = List.of("not", "if", "then", "else");
    private static final JsonNode EMPTY_SCHEMA = JsonNodeFactory.instance.objectNode();

    private SchemaCompatibility() {
    }

    /**
     * Lists the breaking changes from {@code released} to {@code current}.
     *
     * @param released the schema as last released
     * @param current  the schema as it is now
     * @return one readable message per breaking change, e.g. {@code property 'carrier' was removed}; empty when
     *         {@code current} is a compatible evolution of {@code released}
     */
    public static List<String> breakingChanges(JsonNode released, JsonNode current) {
        Objects.requireNonNull(released, "released");
        Objects.requireNonNull(current, "current");
        List<String> changes = new ArrayList<>();
        compare(released, current, "", changes);
        return List.copyOf(changes);
    }

    /**
     * Compares every {@code *.json} file under {@code <schemasDir>/released/} with the file at the same relative
     * path under {@code schemasDir}.
     *
     * @param schemasDir the {@code schemas/} folder, holding {@code released/}, {@code envelope/}, {@code defs/},
     *                   {@code events/}
     * @return one message per breaking change, prefixed with the relative path, e.g.
     *         {@code events/waybill.shipment.departed.v1.schema.json: property 'carrier' was removed}
     * @throws UncheckedIOException if a file cannot be read or parsed, or there is no {@code released/} folder
     */
    public static List<String> compareFolder(Path schemasDir) {
        Path releasedDir = schemasDir.resolve("released");
        if (!Files.isDirectory(releasedDir)) {
            throw new UncheckedIOException("no released/ folder in " + schemasDir.toAbsolutePath(),
                    new NoSuchFileException(releasedDir.toString()));
        }
        List<String> changes = new ArrayList<>();
        for (Path releasedFile : releasedFiles(releasedDir)) {
            String relative = releasedDir.relativize(releasedFile).toString().replace('\\', '/');
            Path currentFile = schemasDir.resolve(relative);
            if (!Files.isRegularFile(currentFile)) {
                changes.add(relative + ": schema was removed (present in released/, missing from current)");
                continue;
            }
            for (String change : breakingChanges(read(releasedFile), read(currentFile))) {
                changes.add(relative + ": " + change);
            }
        }
        return List.copyOf(changes);
    }

    /**
     * The {@code *.json} files under a {@code released/} folder, at any depth.
     *
     * @param releasedDir the {@code released/} folder
     * @return the files, sorted by path
     */
    static List<Path> releasedFiles(Path releasedDir) {
        try (Stream<Path> files = Files.walk(releasedDir)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + releasedDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Command-line check: {@code SchemaCompatibility [schemasDir]} (default {@code schemas}). Prints each breaking
     * change to standard error and exits 1 if there is any, exits 2 if the folder cannot be read, else prints a
     * one-line summary and exits 0.
     *
     * @param args {@code [schemasDir]}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * The body of {@link #main(String[])}, without exiting.
     *
     * @param args {@code [schemasDir]}
     * @param out  where the summary goes
     * @param err  where breaking changes and errors go
     * @return the exit status: 0 compatible, 1 breaking changes found, 2 the folder could not be read
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path schemasDir = Paths.get(args.length > 0 ? args[0] : "schemas");
        Path releasedDir = schemasDir.resolve("released");
        List<String> changes;
        try {
            changes = compareFolder(schemasDir);
        } catch (UncheckedIOException e) {
            err.println("schema compatibility check failed: " + e.getMessage());
            return 2;
        }
        if (!changes.isEmpty()) {
            changes.forEach(err::println);
            err.println(changes.size() + " breaking change(s) against " + releasedDir
                    + ": within a major version only add optional properties or loosen constraints;"
                    + " for anything else add a new .v<N+1> type (see schemas/README.md)");
            return 1;
        }
        out.println("schemas compatible with " + releasedDir + " (" + releasedFiles(releasedDir).size()
                + " released files checked)");
        return 0;
    }

    private static void compare(JsonNode releasedSchema, JsonNode currentSchema, String path, List<String> changes) {
        String where = path.isEmpty() ? "schema root" : "'" + path + "'";
        if (isFalse(releasedSchema)) {
            return; // nothing was valid before: any change loosens it
        }
        if (isFalse(currentSchema)) {
            changes.add(where + ": schema changed to false (accepts nothing)");
            return;
        }
        JsonNode released = releasedSchema.isBoolean() ? EMPTY_SCHEMA : releasedSchema; // true is the same as {}
        JsonNode current = currentSchema.isBoolean() ? EMPTY_SCHEMA : currentSchema;

        compareText(released, current, "$id", where, changes);
        compareText(released, current, "$ref", where, changes);
        compareType(released, current, where, changes);
        compareEnum(released, current, where, changes);
        compareAddedOrChanged(released, current, "const", where, changes);
        compareAddedOrChanged(released, current, "pattern", where, changes);
        compareAddedOrChanged(released, current, "format", where, changes);
        for (String keyword : LOWER_BOUNDS) {
            compareBound(released, current, keyword, true, where, changes);
        }
        for (String keyword : UPPER_BOUNDS) {
            compareBound(released, current, keyword, false, where, changes);
        }
        if (!released.path("uniqueItems").asBoolean(false) && current.path("uniqueItems").asBoolean(false)) {
            changes.add(where + ": uniqueItems turned on");
        }
        if (!isFalse(released.get("additionalProperties")) && isFalse(current.get("additionalProperties"))) {
            changes.add(where + ": additionalProperties turned to false");
        }
        compareRequired(released, current, path, changes);
        compareComposition(released, current, where, changes);

        JsonNode releasedProperties = released.path("properties");
        JsonNode currentProperties = current.path("properties");
        for (Map.Entry<String, JsonNode> property : releasedProperties.properties()) {
            String name = property.getKey();
            String childPath = path.isEmpty() ? name : path + "." + name;
            JsonNode currentProperty = currentProperties.get(name);
            if (currentProperty == null) {
                changes.add("property '" + childPath + "' was removed");
            } else {
                compare(property.getValue(), currentProperty, childPath, changes);
            }
        }
        JsonNode releasedItems = released.get("items");
        JsonNode currentItems = current.get("items");
        if (currentItems != null) {
            compare(releasedItems == null ? EMPTY_SCHEMA : releasedItems, currentItems, path + "[]", changes);
        }
        JsonNode currentDefs = current.path("$defs");
        for (Map.Entry<String, JsonNode> def : released.path("$defs").properties()) {
            String defPath = (path.isEmpty() ? "" : path + ".") + "$defs." + def.getKey();
            JsonNode currentDef = currentDefs.get(def.getKey());
            if (currentDef == null) {
                changes.add("'" + defPath + "' was removed");
            } else {
                compare(def.getValue(), currentDef, defPath, changes);
            }
        }
    }

    private static void compareText(JsonNode released, JsonNode current, String keyword, String where,
                                     List<String> changes) {
        JsonNode before = released.get(keyword);
        JsonNode after = current.get(keyword);
        if (!Objects.equals(before, after)) {
            changes.add(where + ": " + keyword + " changed from " + show(before) + " to " + show(after));
        }
    }

    private static void compareAddedOrChanged(JsonNode released, JsonNode current, String keyword, String where,
                                              List<String> changes) {
        JsonNode before = released.get(keyword);
        JsonNode after = current.get(keyword);
        if (after == null || after.equals(before)) {
            return;
        }
        changes.add(where + ": " + keyword + (before == null
                ? " added: " + show(after)
                : " changed from " + show(before) + " to " + show(after)));
    }

    private static void compareType(JsonNode released, JsonNode current, String where, List<String> changes) {
        Set<String> before = types(released.get("type"));
        Set<String> after = types(current.get("type"));
        if (after == null) {
            return; // type removed: any type is accepted now
        }
        if (before == null) {
            changes.add(where + ": type added: " + after);
            return;
        }
        List<String> lost = before.stream().filter(type -> !accepts(after, type)).toList();
        if (!lost.isEmpty()) {
            changes.add(where + ": type changed from " + before + " to " + after + " (no longer accepts "
                    + String.join(", ", lost) + ")");
        }
    }

    private static boolean accepts(Set<String> types, String type) {
        return types.contains(type) || "integer".equals(type) && types.contains("number");
    }

    private static Set<String> types(JsonNode type) {
        if (type == null) {
            return null;
        }
        Set<String> types = new LinkedHashSet<>();
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else {
            types.add(type.asText());
        }
        return types;
    }

    private static void compareEnum(JsonNode released, JsonNode current, String where, List<String> changes) {
        JsonNode before = released.get("enum");
        JsonNode after = current.get("enum");
        if (after == null) {
            return;
        }
        if (before == null) {
            changes.add(where + ": enum added: " + after);
            return;
        }
        List<String> lost = new ArrayList<>();
        for (JsonNode value : before) {
            if (!contains(after, value)) {
                lost.add(value.toString());
            }
        }
        if (!lost.isEmpty()) {
            changes.add(where + ": enum lost value(s) " + String.join(", ", lost));
        }
    }

    private static void compareBound(JsonNode released, JsonNode current, String keyword, boolean lower,
                                     String where, List<String> changes) {
        JsonNode before = released.get(keyword);
        JsonNode after = current.get(keyword);
        if (after == null || !after.isNumber()) {
            return; // removed: loosened
        }
        if (before == null || !before.isNumber()) {
            changes.add(where + ": " + keyword + " added: " + after);
            return;
        }
        int order = after.decimalValue().compareTo(before.decimalValue());
        if (lower && order > 0) {
            changes.add(where + ": " + keyword + " raised from " + plain(before) + " to " + plain(after));
        } else if (!lower && order < 0) {
            changes.add(where + ": " + keyword + " lowered from " + plain(before) + " to " + plain(after));
        }
    }

    private static void compareRequired(JsonNode released, JsonNode current, String path, List<String> changes) {
        JsonNode before = released.path("required");
        for (JsonNode name : current.path("required")) {
            if (!contains(before, name)) {
                String property = path.isEmpty() ? name.asText() : path + "." + name.asText();
                changes.add("property '" + property + "' is newly required");
            }
        }
    }

    private static void compareComposition(JsonNode released, JsonNode current, String where,
                                           List<String> changes) {
        for (String keyword : List.of("anyOf", "oneOf")) {
            JsonNode after = current.get(keyword);
            JsonNode before = released.get(keyword);
            if (after == null) {
                continue; // removed: loosened
            }
            if (before == null) {
                changes.add(where + ": " + keyword + " added");
                continue;
            }
            for (JsonNode alternative : before) {
                if (!contains(after, alternative)) {
                    changes.add(where + ": " + keyword + " alternative removed or changed: " + alternative);
                }
            }
        }
        JsonNode allOfBefore = released.path("allOf");
        for (JsonNode member : current.path("allOf")) {
            if (!contains(allOfBefore, member)) {
                changes.add(where + ": allOf member added or changed: " + member);
            }
        }
        for (String keyword : OPAQUE_KEYWORDS) {
            JsonNode before = released.get(keyword);
            JsonNode after = current.get(keyword);
            if (after != null && !after.equals(before)) {
                changes.add(where + ": " + keyword + " added or changed (cannot be checked for compatibility)");
            }
        }
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode element : array) {
            if (element.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFalse(JsonNode node) {
        return node != null && node.isBoolean() && !node.booleanValue();
    }

    private static String show(JsonNode node) {
        if (node == null) {
            return "(none)";
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

    private static String plain(JsonNode number) {
        BigDecimal value = number.decimalValue();
        return value.stripTrailingZeros().toPlainString();
    }

    private static JsonNode read(Path file) {
        try {
            return Holder.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Holds the reader used by {@link #compareFolder(Path)}; only built when files are compared. */
    private static final class Holder {
        private static final ObjectMapper MAPPER = new ObjectMapper();
    }

}
