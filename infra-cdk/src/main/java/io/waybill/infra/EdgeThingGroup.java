package io.waybill.infra;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iot.CfnThingGroup;
import software.constructs.Construct;

import java.util.Optional;

/**
 * The thing group the stage's edge component is deployed to. Greengrass keeps one active deployment per target, so
 * each stage needs a group of its own: the stack creates {@code waybill-<stage>-edge} ({@code AWS::IoT::ThingGroup}),
 * unless the context's {@code thingGroupName} names an existing group, which is then only referenced.
 */
public final class EdgeThingGroup extends Construct {
    private final String name;
    private final CfnThingGroup group;

    public EdgeThingGroup(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.name = config.thingGroupName();
        this.group = config.createsThingGroup()
                ? CfnThingGroup.Builder.create(this, "Group")
                        .thingGroupName(name)
                        .thingGroupProperties(CfnThingGroup.ThingGroupPropertiesProperty.builder()
                                .thingGroupDescription("Waybill " + config.stage()
                                        + " Greengrass core devices (reefer edge); its edge deployment targets this group")
                                .build())
                        .build()
                : null;
    }

    /** The group's name. */
    public String name() {
        return name;
    }

    /** The group's ARN: the created group's attribute, or built from the existing group's name. */
    public String arn() {
        return group != null ? group.getAttrArn()
                : "arn:" + Aws.PARTITION + ":iot:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":thinggroup/" + name;
    }

    /** The created group; empty when the context named an existing one. */
    public Optional<CfnThingGroup> resource() {
        return Optional.ofNullable(group);
    }
}
