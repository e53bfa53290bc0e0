package io.waybill.local.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js script run with JSON on stdin and JSON read from stdout, in local-runtime's folder (so {@code require}
 * finds the packages pinned in its {@code node_modules}): how the provenance tests ask {@code @openzeppelin/merkle-tree},
 * the implementation partners use, for an independent verdict.
 */
public final class NodeScript {
    /**
     * stdin: an array of proof objects ({@code root}, {@code leafEncoding}, {@code leaf}, {@code proof}); stdout: an
     * array of {@code StandardMerkleTree.verify(root, leafEncoding, leaf, proof)} verdicts.
     */
    public static final String VERIFY_PROOFS = String.join("\n",
            "const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');",
            "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));",
            "process.stdout.write(JSON.stringify(input.map(p =>",
            "  StandardMerkleTree.verify(p.root, p.leafEncoding, p.leaf, p.proof))));");
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeScript() {
    }

    /** Runs {@code script}; the test is aborted (reported as skipped, with the reason) when node is not on the PATH. */
    public static JsonNode run(String script, byte[] stdin) {
        return tryRun(script, stdin).orElseGet(() -> {
            Assumptions.abort("node is not on the PATH");
            return null;
        });
    }

    /**
     * Runs {@code script}; empty when node is not on the PATH.
     *
     * @throws IllegalStateException when the script fails or takes over 60 s
     */
    public static Optional<JsonNode> tryRun(String script, byte[] stdin) {
        Process p;
        try {
            p = new ProcessBuilder("node", "-e", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            }
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("node failed: " + script.lines().findFirst().orElse(""));
            }
            return Optional.of(JSON.readTree(new String(output, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while node ran", e);
        } finally {
            p.destroyForcibly();
        }
    }
}
