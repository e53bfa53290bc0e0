package io.waybill.chain;

import java.util.Objects;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * How each JSON-RPC POST is authenticated: not at all (anvil, a staging node on a private network), or with AWS
 * Signature Version 4 for service {@value #MANAGED_BLOCKCHAIN} (Amazon Managed Blockchain Access Ethereum, which
 * prefers SigV4 to its billing token).
 */
public final class RpcAuth {

    /** The SigV4 signing name of Amazon Managed Blockchain. */
    public static final String MANAGED_BLOCKCHAIN = "managedblockchain";

    private final AwsCredentialsProvider credentials;
    private final Region region;

    private RpcAuth(AwsCredentialsProvider credentials, Region region) {
        this.credentials = credentials;
        this.region = region;
    }

    /** No authentication. */
    public static RpcAuth none() {
        return new RpcAuth(null, null);
    }

    /** SigV4 with the given credentials (resolved per request, so rotated role credentials are picked up) and region. */
    public static RpcAuth sigV4(AwsCredentialsProvider credentials, Region region) {
        return new RpcAuth(Objects.requireNonNull(credentials, "credentials"), Objects.requireNonNull(region, "region"));
    }

    Optional<SigV4Interceptor> interceptor() {
        return credentials == null ? Optional.empty()
                : Optional.of(new SigV4Interceptor(credentials, region, MANAGED_BLOCKCHAIN));
    }

    @Override
    public String toString() {
        return credentials == null ? "RpcAuth[none]" : "RpcAuth[sigV4 " + MANAGED_BLOCKCHAIN + " " + region + "]";
    }
}
