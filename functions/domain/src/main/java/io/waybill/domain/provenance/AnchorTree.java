package io.waybill.domain.provenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The Merkle tree over one anchor batch's event hashes, built exactly as OpenZeppelin's {@code StandardMerkleTree}
 * (@openzeppelin/merkle-tree 1.0.8) builds it for leaf encoding {@code ["bytes32"]}, so a partner verifies a proof with
 * {@code StandardMerkleTree.verify(root, ["bytes32"], [value], proof)} or {@code MerkleProof.verify} on chain, without
 * Waybill's code:
 * <ul>
 *   <li>leaf = keccak256(keccak256(abi.encode(bytes32 value))); abi.encode of one bytes32 is its 32 bytes;</li>
 *   <li>internal node = keccak256 of its two children concatenated in ascending (unsigned) byte order;</li>
 *   <li>leaves sorted by hash (stably), the tree an array with the root at 0 and the children of {@code i} at
 *       {@code 2i+1} and {@code 2i+2}; the {@code k}-th sorted leaf sits at {@code length - 1 - k};</li>
 *   <li>a proof lists the siblings from the leaf up; a batch of one: root = its leaf hash, empty proof;</li>
 *   <li>hex in lower case with {@code 0x}.</li>
 * </ul>
 */
public final class AnchorTree {
    /** The leaf encoding a verifier passes to {@code StandardMerkleTree.verify}. */
    public static final List<String> LEAF_ENCODING = List.of("bytes32");

    private static final HexFormat HEX = HexFormat.of();

    private final byte[][] nodes;
    private final List<byte[]> values;
    private final int[] treeIndexOfValue;

    private AnchorTree(byte[][] nodes, List<byte[]> values, int[] treeIndexOfValue) {
        this.nodes = nodes;
        this.values = values;
        this.treeIndexOfValue = treeIndexOfValue;
    }

    /**
     * @param values the batch's values (event hashes), 32 bytes each, in batch order; at least one
     */
    public static AnchorTree of(List<byte[]> values) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an anchor batch needs at least one event");
        }
        List<byte[]> copies = new ArrayList<>(values.size());
        for (byte[] v : values) {
            if (v == null || v.length != 32) {
                throw new IllegalArgumentException("a bytes32 value must be 32 bytes");
            }
            copies.add(v.clone());
        }
        int n = copies.size();
        byte[][] leaves = new byte[n][];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            leaves[i] = leafHash(copies.get(i));
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> leaves[i], Arrays::compareUnsigned)); // stable, as JS sort
        byte[][] nodes = new byte[2 * n - 1][];
        int[] treeIndexOfValue = new int[n];
        for (int k = 0; k < n; k++) {
            int treeIndex = nodes.length - 1 - k;
            nodes[treeIndex] = leaves[order[k]];
            treeIndexOfValue[order[k]] = treeIndex;
        }
        for (int i = nodes.length - 1 - n; i >= 0; i--) {
            nodes[i] = nodeHash(nodes[2 * i + 1], nodes[2 * i + 2]);
        }
        return new AnchorTree(nodes, List.copyOf(copies), treeIndexOfValue);
    }

    /** {@link #of(List)} from {@code 0x} hex values (either case). */
    public static AnchorTree ofHex(List<String> values) {
        return of(values.stream().map(AnchorTree::bytes32).toList());
    }

    public int size() {
        return values.size();
    }

    /** The root, {@code 0x} + 64 lower-case hex digits. */
    public String root() {
        return hex(nodes[0]);
    }

    /** The value at {@code valueIndex} (batch order), {@code 0x} hex. */
    public String value(int valueIndex) {
        return hex(values.get(valueIndex));
    }

    /** The proof of the value at {@code valueIndex} (batch order): sibling hashes from the leaf up. */
    public List<String> proof(int valueIndex) {
        Objects.checkIndex(valueIndex, values.size());
        List<String> proof = new ArrayList<>();
        int i = treeIndexOfValue[valueIndex];
        while (i > 0) {
            int sibling = i % 2 == 1 ? i + 1 : i - 1;
            proof.add(hex(nodes[sibling]));
            i = (i - 1) / 2;
        }
        return List.copyOf(proof);
    }

    /**
     * What {@code StandardMerkleTree.verify(root, ["bytes32"], [leafValue], proof)} answers.
     *
     * @throws IllegalArgumentException when an argument is not {@code 0x} + 64 hex digits
     */
    public static boolean verify(String root, String leafValue, List<String> proof) {
        byte[] expected = bytes32(root);
        byte[] node = leafHash(bytes32(leafValue));
        for (String sibling : proof) {
            node = nodeHash(node, bytes32(sibling));
        }
        return Arrays.equals(expected, node);
    }

    static byte[] leafHash(byte[] value) {
        return Keccak256.hash(Keccak256.hash(value));
    }

    static byte[] nodeHash(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) <= 0 ? Keccak256.hash(a, b) : Keccak256.hash(b, a);
    }

    static String hex(byte[] bytes) {
        return "0x" + HEX.formatHex(bytes);
    }

    static byte[] bytes32(String hex) {
        if (hex == null || hex.length() != 66 || !hex.startsWith("0x")) {
            throw new IllegalArgumentException("expected 0x + 64 hex digits: " + hex);
        }
        try {
            return HexFormat.of().parseHex(hex, 2, 66);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected 0x + 64 hex digits: " + hex, e);
        }
    }
}
