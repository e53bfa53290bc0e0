package io.waybill.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.internal.EmfMetricsLogger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Powertools metrics whose EMF documents are kept in memory (EMF's "Local" serialisation), for assertions. */
final class EmfCapture implements Supplier<Metrics> {
    private static final ObjectMapper JSON = new ObjectMapper();
    final List<JsonNode> documents = new ArrayList<>();

    @Override
    public Metrics get() {
        Environment environment = new Environment() {
            @Override
            public boolean probe() {
                return true;
            }

            @Override
            public String getName() {
                return "Local";
            }

            @Override
            public String getType() {
                return "Local";
            }

            @Override
            public String getLogGroupName() {
                return "test";
            }

            @Override
            public void configureContext(MetricsContext context) {
            }

            @Override
            public ISink getSink() {
                return new ISink() {
                    @Override
                    public void accept(MetricsContext context) {
                        try {
                            for (String d : context.serialize()) {
                                documents.add(JSON.readTree(d));
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }

                    @Override
                    public CompletableFuture<Void> shutdown() {
                        return CompletableFuture.completedFuture(null);
                    }
                };
            }
        };
        EnvironmentProvider provider = new EnvironmentProvider() {
            @Override
            public CompletableFuture<Environment> resolveEnvironment() {
                return CompletableFuture.completedFuture(environment);
            }

            @Override
            public Environment getDefaultEnvironment() {
                return environment;
            }
        };
        return new EmfMetricsLogger(provider, new MetricsContext());
    }
}
