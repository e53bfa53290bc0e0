package io.waybill.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The customer-managed KMS key a construct encrypts its own resources with (construct id {@code Key}, under the
 * caller's scope so its logical id is the caller's own): described {@code Waybill <stage> <purpose>}, aliased
 * {@code alias/waybill-<stage>-<aliasName>}, rotated yearly.
 */
final class CustomerKey {
    private CustomerKey() {
    }

    /**
     * The key of {@code scope}'s resources; {@code removal} is theirs (a key outlives nothing it encrypts). Without
     * its alias when the stage synthesises its retained resources for {@code cdk import}: the alias is deleted with
     * the stack, so after a destroy there is none to import, and an import may not create anything; the next
     * {@code cdk deploy} adds it again.
     */
    static Key of(Construct scope, StageConfig config, String purpose, String aliasName, RemovalPolicy removal) {
        Key.Builder key = Key.Builder.create(scope, "Key")
                .description("Waybill " + config.stage() + " " + purpose)
                .enableKeyRotation(true)
                .removalPolicy(removal);
        if (!config.importRetainedData()) {
            key.alias("alias/" + config.resourceName(aliasName));
        }
        return key.build();
    }
}
