package io.waybill.it;

import java.net.URI;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.utility.DockerImageName;

import io.waybill.local.AwsClients;
import io.waybill.local.AwsEndpoints;
import software.amazon.awssdk.regions.Region;

/**
 * LocalStack in a container started by Testcontainers, with the three services of the data path. LocalStack serves
 * them all on one edge port, hence {@link AwsEndpoints#singleEdge(Region, URI)}. Requires a Docker engine: check
 * {@link #dockerAvailable()} first.
 */
final class LocalStackBackEnd implements AwsBackEnd {
    /** The image, pinned (a floating tag would change the back end under the tests). */
    static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.4");
    /** Reason reported by JUnit for every LocalStack scenario when no Docker engine answers. */
    static final String NO_DOCKER = "Docker is not available: LocalStack back end skipped";

    private final LocalStackContainer container;
    private final AwsClients clients;

    private LocalStackBackEnd(LocalStackContainer container, AwsClients clients) {
        this.container = container;
        this.clients = clients;
    }

    /** @return whether Testcontainers can reach a Docker engine (it probes each configured strategy once) */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static LocalStackBackEnd start() {
        LocalStackContainer container = new LocalStackContainer(IMAGE)
                .withServices(Service.KINESIS, Service.DYNAMODB, Service.SQS);
        container.start();
        try {
            AwsEndpoints endpoints = AwsEndpoints.singleEdge(Region.of(container.getRegion()), container.getEndpoint());
            return new LocalStackBackEnd(container, AwsClients.create(endpoints));
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
    }

    @Override
    public String name() {
        return "LocalStack " + IMAGE.getVersionPart();
    }

    @Override
    public AwsClients clients() {
        return clients;
    }

    @Override
    public void close() {
        try {
            clients.close();
        } finally {
            container.stop();
        }
    }
}
