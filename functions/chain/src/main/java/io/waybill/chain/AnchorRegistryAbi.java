package io.waybill.chain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.utils.Numeric;

import io.waybill.domain.provenance.AnchorChain.AnchorCall;
import io.waybill.domain.provenance.EthereumAddress;

/**
 * The ABI of {@code AnchorRegistry} (contracts/src/main/solidity/AnchorRegistry.sol) as Web3j encodes it, and its
 * creation bytecode from the waybill-contracts jar ({@code io/waybill/contracts/AnchorRegistry.bin}).
 */
public final class AnchorRegistryAbi {

    /** The classpath resource of the creation bytecode (hex, no 0x) that the contracts build writes. */
    public static final String BYTECODE_RESOURCE = "io/waybill/contracts/AnchorRegistry.bin";
    /** The classpath resource of the ABI JSON. */
    public static final String ABI_RESOURCE = "io/waybill/contracts/AnchorRegistry.abi.json";

    private AnchorRegistryAbi() {
    }

    /** {@code anchor(bytes32 root, uint64 count, string uri)} call data, 0x-prefixed. */
    public static String anchor(AnchorCall call) {
        return FunctionEncoder.encode(new Function("anchor", List.of(
                new Bytes32(Numeric.hexStringToByteArray(call.root())),
                new Uint64(BigInteger.valueOf(call.count())),
                new Utf8String(call.uri())), List.of()));
    }

    /** {@code anchoredAt(bytes32 root)} call data, 0x-prefixed. */
    public static String anchoredAt(String root) {
        return FunctionEncoder.encode(anchoredAtFunction(root));
    }

    /** Decodes the {@code uint256} {@code anchoredAt} returns. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static BigInteger decodeAnchoredAt(String returnData) {
        List<Type> values = FunctionReturnDecoder.decode(returnData, anchoredAtFunction(
                "0x" + "0".repeat(64)).getOutputParameters());
        if (values.size() != 1) {
            throw new IllegalArgumentException("anchoredAt returned no uint256: " + returnData);
        }
        return (BigInteger) values.get(0).getValue();
    }

    /** The creation code with the constructor argument {@code firstAnchorer} appended, 0x-prefixed. */
    public static String deployment(EthereumAddress firstAnchorer) {
        return "0x" + bytecode() + FunctionEncoder.encodeConstructor(
                List.of(new Address(firstAnchorer.toString().toLowerCase(java.util.Locale.ROOT))));
    }

    /** The creation bytecode from the waybill-contracts jar (hex, no 0x). */
    public static String bytecode() {
        try (InputStream in = AnchorRegistryAbi.class.getClassLoader().getResourceAsStream(BYTECODE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + BYTECODE_RESOURCE
                        + " is missing: the waybill-contracts jar (built by contracts/compile.mjs) is not on the class path");
            }
            String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!hex.matches("[0-9a-f]+")) {
                throw new IllegalStateException(BYTECODE_RESOURCE + " is not lower-case hex");
            }
            return hex;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Function anchoredAtFunction(String root) {
        return new Function("anchoredAt", List.of(new Bytes32(Numeric.hexStringToByteArray(root))),
                List.of(new TypeReference<Uint256>() { }));
    }
}
