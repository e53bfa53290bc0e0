package io.waybill.aws.failure;

import io.waybill.domain.ingestion.PermanentDependencyException;
import io.waybill.domain.ingestion.TransientDependencyException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns an AWS SDK failure into the domain's transient or permanent dependency failure. Provisional: the full
 * classification (error tables per service, tested on the emulators) replaces this.
 */
public final class DependencyFailures {
    private DependencyFailures() {
    }

    public static RuntimeException classify(String dependency, SdkException e) {
        if (e instanceof AwsServiceException s && !s.isThrottlingException() && s.statusCode() >= 400
                && s.statusCode() < 500 && s.statusCode() != 408 && !s.isClockSkewException()) {
            String code = s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
            return new PermanentDependencyException(dependency, code, s.getMessage(), e);
        }
        return new TransientDependencyException(dependency, e.getMessage(), e);
    }
}
