package io.waybill.local.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import software.amazon.awssdk.regions.Region;

import io.waybill.local.AwsEndpoints;

/**
 * Immutable configuration of a {@link LocalAwsStack}. Every setting has a default suited to tests and demos; build
 * one with {@link #builder()} or take {@link #defaults()}.
 *
 * <p>Ports left at {@code 0} are chosen free at start. The emulators listen on loopback, except kinesis-mock which
 * always binds every interface (it has no bind-address option), which is why its ports are picked free too.
 */
public final class LocalStackConfig {

    /** Address the emulators bind and the endpoints point at. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** How long each emulator has to answer a real API call after its start. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    /** Time to wait after a polite stop (SIGTERM) before killing a process. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);
    /** How long {@code npm ci} may take when {@code node_modules} is missing. */
    public static final Duration DEFAULT_NPM_INSTALL_TIMEOUT = Duration.ofMinutes(5);
    /** Account id used by kinesis-mock and ElasticMQ in ARNs and queue URLs (both default to it too). */
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";
    /**
     * Duration kinesis-mock keeps a stream in CREATING/DELETING/UPDATING (its own default is 500 ms); {@code 0ms}
     * makes streams ACTIVE at once.
     */
    public static final String DEFAULT_KINESIS_STATE_TRANSITION = "0ms";
    /** kinesis-mock's {@code LOG_LEVEL} (its own default, INFO, logs every request). */
    public static final String DEFAULT_KINESIS_LOG_LEVEL = "WARN";

    private final Path localRuntimeDir;
    private final Path logDir;
    private final Path dynamoDbDataDir;
    private final String host;
    private final Region region;
    private final String accountId;
    private final Duration startTimeout;
    private final Duration stopGrace;
    private final Duration npmInstallTimeout;
    private final String nodeCommand;
    private final String npmCommand;
    private final int kinesisPort;
    private final int kinesisTlsPort;
    private final int dynamoDbPort;
    private final int sqsPort;
    private final int s3Port;
    private final String kinesisStateTransition;
    private final String kinesisLogLevel;

    private LocalStackConfig(Builder b) {
        this.localRuntimeDir = b.localRuntimeDir;
        this.logDir = b.logDir;
        this.dynamoDbDataDir = b.dynamoDbDataDir;
        this.host = b.host;
        this.region = b.region;
        this.accountId = b.accountId;
        this.startTimeout = b.startTimeout;
        this.stopGrace = b.stopGrace;
        this.npmInstallTimeout = b.npmInstallTimeout;
        this.nodeCommand = b.nodeCommand;
        this.npmCommand = b.npmCommand;
        this.kinesisPort = b.kinesisPort;
        this.kinesisTlsPort = b.kinesisTlsPort;
        this.dynamoDbPort = b.dynamoDbPort;
        this.sqsPort = b.sqsPort;
        this.s3Port = b.s3Port;
        this.kinesisStateTransition = b.kinesisStateTransition;
        this.kinesisLogLevel = b.kinesisLogLevel;
    }

    /** @return a configuration with every default */
    public static LocalStackConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.localRuntimeDir = localRuntimeDir;
        b.logDir = logDir;
        b.dynamoDbDataDir = dynamoDbDataDir;
        b.host = host;
        b.region = region;
        b.accountId = accountId;
        b.startTimeout = startTimeout;
        b.stopGrace = stopGrace;
        b.npmInstallTimeout = npmInstallTimeout;
        b.nodeCommand = nodeCommand;
        b.npmCommand = npmCommand;
        b.kinesisPort = kinesisPort;
        b.kinesisTlsPort = kinesisTlsPort;
        b.dynamoDbPort = dynamoDbPort;
        b.sqsPort = sqsPort;
        b.s3Port = s3Port;
        b.kinesisStateTransition = kinesisStateTransition;
        b.kinesisLogLevel = kinesisLogLevel;
        return b;
    }

    /**
     * @return the {@code local-runtime/} directory (holding package.json and node_modules), if set explicitly;
     *         otherwise it is located as described in {@link LocalRuntimeLocator}
     */
    public Optional<Path> localRuntimeDir() {
        return Optional.ofNullable(localRuntimeDir);
    }

    /** @return where emulator logs go, if set; default {@code <local-runtime>/target/local-stack} */
    public Optional<Path> logDir() {
        return Optional.ofNullable(logDir);
    }

    /** @return dynalite's LevelDB directory ({@code --path}), if set; default in memory */
    public Optional<Path> dynamoDbDataDir() {
        return Optional.ofNullable(dynamoDbDataDir);
    }

    /** @return the bind and endpoint host */
    public String host() {
        return host;
    }

    /** @return the region the emulators report and the clients sign for */
    public Region region() {
        return region;
    }

    /** @return the account id of ARNs and queue URLs */
    public String accountId() {
        return accountId;
    }

    /** @return how long each emulator has to answer after its start */
    public Duration startTimeout() {
        return startTimeout;
    }

    /** @return grace period between a polite stop and a forced kill */
    public Duration stopGrace() {
        return stopGrace;
    }

    /** @return how long {@code npm ci} may take */
    public Duration npmInstallTimeout() {
        return npmInstallTimeout;
    }

    /** @return the Node.js executable ({@code node} from the PATH by default) */
    public String nodeCommand() {
        return nodeCommand;
    }

    /** @return the npm executable ({@code npm} from the PATH by default) */
    public String npmCommand() {
        return npmCommand;
    }

    /** @return kinesis-mock's plain HTTP port, 0 = pick a free one */
    public int kinesisPort() {
        return kinesisPort;
    }

    /** @return kinesis-mock's TLS port (unused by the clients but always opened), 0 = pick a free one */
    public int kinesisTlsPort() {
        return kinesisTlsPort;
    }

    /** @return dynalite's port, 0 = pick a free one */
    public int dynamoDbPort() {
        return dynamoDbPort;
    }

    /** @return ElasticMQ's port, 0 = pick a free one */
    public int sqsPort() {
        return sqsPort;
    }

    /** @return s3rver's port, 0 = pick a free one */
    public int s3Port() {
        return s3Port;
    }

    /** @return kinesis-mock's state transition duration (e.g. {@code 0ms}, {@code 500ms}) */
    public String kinesisStateTransition() {
        return kinesisStateTransition;
    }

    /** @return kinesis-mock's log level */
    public String kinesisLogLevel() {
        return kinesisLogLevel;
    }

    @Override
    public String toString() {
        return "LocalStackConfig[host=" + host + ", region=" + region + ", localRuntimeDir=" + localRuntimeDir
                + ", logDir=" + logDir + ", dynamoDbDataDir=" + dynamoDbDataDir + ", ports(kinesis=" + kinesisPort
                + ", kinesisTls=" + kinesisTlsPort + ", dynamodb=" + dynamoDbPort + ", sqs=" + sqsPort
                + ", s3=" + s3Port + "), startTimeout=" + startTimeout + "]";
    }

    /** Mutable builder of {@link LocalStackConfig}; not thread-safe. */
    public static final class Builder {
        private Path localRuntimeDir;
        private Path logDir;
        private Path dynamoDbDataDir;
        private String host = DEFAULT_HOST;
        private Region region = AwsEndpoints.LOCAL_REGION;
        private String accountId = DEFAULT_ACCOUNT_ID;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration stopGrace = DEFAULT_STOP_GRACE;
        private Duration npmInstallTimeout = DEFAULT_NPM_INSTALL_TIMEOUT;
        private String nodeCommand = "node";
        private String npmCommand = "npm";
        private int kinesisPort;
        private int kinesisTlsPort;
        private int dynamoDbPort;
        private int sqsPort;
        private int s3Port;
        private String kinesisStateTransition = DEFAULT_KINESIS_STATE_TRANSITION;
        private String kinesisLogLevel = DEFAULT_KINESIS_LOG_LEVEL;

        private Builder() {
        }

        /** @param dir the {@code local-runtime/} directory; {@code null} to locate it @return this */
        public Builder localRuntimeDir(Path dir) {
            this.localRuntimeDir = dir;
            return this;
        }

        /** @param dir where emulator logs go; {@code null} for the default @return this */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** @param dir dynalite's LevelDB directory; {@code null} keeps tables in memory @return this */
        public Builder dynamoDbDataDir(Path dir) {
            this.dynamoDbDataDir = dir;
            return this;
        }

        /** @param host bind and endpoint host @return this */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** @param region region of the emulators and clients @return this */
        public Builder region(Region region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** @param accountId 12-digit account id of ARNs and queue URLs @return this */
        public Builder accountId(String accountId) {
            if (accountId == null || !accountId.matches("\\d{12}")) {
                throw new IllegalArgumentException("accountId must be 12 digits: " + accountId);
            }
            this.accountId = accountId;
            return this;
        }

        /** @param timeout how long each emulator has to answer @return this */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = positive(timeout, "startTimeout");
            return this;
        }

        /** @param grace time between polite stop and kill @return this */
        public Builder stopGrace(Duration grace) {
            this.stopGrace = Objects.requireNonNull(grace, "stopGrace");
            return this;
        }

        /** @param timeout how long {@code npm ci} may take @return this */
        public Builder npmInstallTimeout(Duration timeout) {
            this.npmInstallTimeout = positive(timeout, "npmInstallTimeout");
            return this;
        }

        /** @param command Node.js executable (name on the PATH or absolute path) @return this */
        public Builder nodeCommand(String command) {
            this.nodeCommand = Objects.requireNonNull(command, "nodeCommand");
            return this;
        }

        /** @param command npm executable (name on the PATH or absolute path) @return this */
        public Builder npmCommand(String command) {
            this.npmCommand = Objects.requireNonNull(command, "npmCommand");
            return this;
        }

        /** @param port kinesis-mock plain HTTP port, 0 = free @return this */
        public Builder kinesisPort(int port) {
            this.kinesisPort = port(port);
            return this;
        }

        /** @param port kinesis-mock TLS port, 0 = free @return this */
        public Builder kinesisTlsPort(int port) {
            this.kinesisTlsPort = port(port);
            return this;
        }

        /** @param port dynalite port, 0 = free @return this */
        public Builder dynamoDbPort(int port) {
            this.dynamoDbPort = port(port);
            return this;
        }

        /** @param port ElasticMQ port, 0 = free @return this */
        public Builder sqsPort(int port) {
            this.sqsPort = port(port);
            return this;
        }

        /** @param port s3rver port, 0 = free @return this */
        public Builder s3Port(int port) {
            this.s3Port = port(port);
            return this;
        }

        /** @param duration kinesis-mock state transition duration, e.g. {@code 0ms} @return this */
        public Builder kinesisStateTransition(String duration) {
            this.kinesisStateTransition = Objects.requireNonNull(duration, "kinesisStateTransition");
            return this;
        }

        /** @param level kinesis-mock log level (ERROR, WARN, INFO, DEBUG, TRACE) @return this */
        public Builder kinesisLogLevel(String level) {
            this.kinesisLogLevel = Objects.requireNonNull(level, "kinesisLogLevel");
            return this;
        }

        /** @return the immutable configuration */
        public LocalStackConfig build() {
            return new LocalStackConfig(this);
        }

        private static int port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
