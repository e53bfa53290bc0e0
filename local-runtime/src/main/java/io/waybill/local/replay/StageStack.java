package io.waybill.local.replay;

import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A deployed stage's CloudFormation stack: its name as the CDK app names it ({@code Waybill-<stage>}, see
 * {@code infra-cdk} {@code StageConfig.stackName()}) and its outputs, read as {@code aws cloudformation
 * describe-stacks --stack-name Waybill-<stage>} reads them.
 */
public final class StageStack {
    /** The stack output naming the claim-check bucket of oversized dead letters (infra-cdk's StackOutputs). */
    public static final String DEAD_LETTER_BUCKET_OUTPUT = "DeadLetterBucketName";

    /** A stage name as {@code infra-cdk}'s {@code StageConfig} accepts it. */
    public static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");

    private StageStack() {
    }

    /**
     * @throws IllegalArgumentException when {@code stage} is no stage name {@code infra-cdk} would deploy
     */
    public static String stackName(String stage) {
        if (stage == null || !STAGE_NAME.matcher(stage).matches()) {
            throw new IllegalArgumentException("'" + stage + "' is not a stage name (" + STAGE_NAME.pattern()
                    + ", as infra-cdk's stage context)");
        }
        return "Waybill-" + stage;
    }

    /**
     * The stack's outputs, key to value.
     *
     * @throws IllegalArgumentException when the stack does not exist in the client's account and region
     */
    public static Map<String, String> outputs(CloudFormationClient cloudFormation, String stackName) {
        Stack stack;
        try {
            stack = cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks().stream().findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no stack " + stackName));
        } catch (CloudFormationException e) {
            if (e.statusCode() == 400 && e.getMessage() != null && e.getMessage().contains("does not exist")) {
                throw new IllegalArgumentException("no stack " + stackName + " in this account and region: "
                        + StreamRangeReader.describe(e), e);
            }
            throw e;
        }
        return outputs(stack);
    }

    /** The outputs of a described stack, key to value. */
    public static Map<String, String> outputs(Stack stack) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Output o : stack.outputs()) {
            out.put(o.outputKey(), o.outputValue());
        }
        return out;
    }
}
