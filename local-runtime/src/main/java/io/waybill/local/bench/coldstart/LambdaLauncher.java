package io.waybill.local.bench.coldstart;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Bench P4's stand-in for the Lambda Java runtime, run in a fresh JVM: {@code java -cp <runtime jar> LambdaLauncher
 * <function jar> <handler class> <event file>}. As the runtime does, it loads the handler from the function jar in a
 * class loader of its own (parent: the platform loader, so the function sees none of the launcher's classes),
 * instantiates it (the init phase: static state and the constructor, where the ops API builds its SDK clients),
 * reads the event with the runtime's own serialiser ({@code aws-lambda-java-serialization}, chosen as the runtime
 * chooses it: {@link #serializer}) for the type the handler declares, calls {@code handleRequest}, and writes the response JSON. Then it calls once more with the same event
 * (warm: what the first call cost beyond a steady one). Prints one line of milliseconds since the JVM started
 * ({@code RuntimeMXBean} uptime) and loaded class counts:
 * <pre>P4RUN main_ms=.. init_ms=.. first_response_ms=.. invoke_ms=.. warm_invoke_ms=.. classes_init=.. classes_first=.. status=..</pre>
 */
public final class LambdaLauncher {
    private LambdaLauncher() {
    }

    public static void main(String[] args) throws Exception {
        long atMain = uptime();
        if (args.length != 3) {
            System.err.println("usage: LambdaLauncher <function jar> <handler class> <event file>");
            System.exit(2);
        }
        URLClassLoader function = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(function);
        Class<?> handlerClass = Class.forName(args[1], true, function);
        Object handler = handlerClass.getDeclaredConstructor().newInstance();
        long afterInit = uptime();
        int classesInit = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();

        Class<?> requestHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestHandler", false, function);
        Class<?> context = Class.forName("com.amazonaws.services.lambda.runtime.Context", false, function);
        Class<?> eventType = eventType(handlerClass, requestHandler);
        Method handle = requestHandler.getMethod("handleRequest", Object.class, context);
        Object ctx = Proxy.newProxyInstance(function, new Class<?>[] {context}, (p, m, a) -> contextValue(m));
        byte[] eventJson = Files.readAllBytes(Path.of(args[2]));

        long beforeInvoke = uptime();
        Object response = invoke(eventType, function, eventJson, handle, handler, ctx);
        long firstResponse = uptime();
        int classesFirst = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        long warmStart = System.nanoTime();
        invoke(eventType, function, eventJson, handle, handler, ctx);
        double warm = (System.nanoTime() - warmStart) / 1e6;
        System.out.printf(Locale.ROOT, "P4RUN main_ms=%d init_ms=%d first_response_ms=%d invoke_ms=%d warm_invoke_ms=%.1f"
                        + " classes_init=%d classes_first=%d status=%s%n", atMain, afterInit - atMain, firstResponse,
                firstResponse - beforeInvoke, warm, classesInit, classesFirst, status(response));
        System.exit(0); // SDK clients keep non-daemon threads; Lambda freezes the environment instead
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object invoke(Class<?> eventType, ClassLoader loader, byte[] json, Method handle, Object handler,
                                 Object ctx) throws Exception {
        PojoSerializer in = serializer(eventType, loader);
        Object event = in.fromJson(new java.io.ByteArrayInputStream(json));
        Object response = handle.invoke(handler, event, ctx);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (response != null) {
            PojoSerializer outSerializer = serializer(response.getClass(), loader);
            outSerializer.toJson(response, out);
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    /**
     * The serialiser the runtime interface client picks: the events library's own for the event types it knows
     * ({@code isLambdaSupportedEvent}), its plain Jackson serialiser for every other type (the HTTP API's payload 2.0
     * event and response are such types).
     */
    @SuppressWarnings("unchecked")
    public static <T> PojoSerializer<T> serializer(Class<T> type, ClassLoader loader) {
        return LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, loader)
                : JacksonFactory.getInstance().getSerializer(type);
    }

    private static Class<?> eventType(Class<?> handlerClass, Class<?> requestHandler) {
        for (Type t : handlerClass.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == requestHandler
                    && p.getActualTypeArguments()[0] instanceof Class<?> c) {
                return c;
            }
        }
        throw new IllegalArgumentException(handlerClass + " does not implement RequestHandler<Event, Response> directly");
    }

    private static Object contextValue(Method m) {
        return switch (m.getName()) {
            case "getAwsRequestId" -> "bench-p4";
            case "getFunctionName" -> "bench-p4";
            case "getFunctionVersion" -> "$LATEST";
            case "getInvokedFunctionArn" -> "arn:aws:lambda:us-east-1:000000000000:function:bench-p4";
            case "getRemainingTimeInMillis" -> 30_000;
            case "getMemoryLimitInMB" -> 1024;
            case "hashCode" -> 0;
            case "equals" -> false;
            case "toString" -> "bench-p4 context";
            default -> null;
        };
    }

    private static String status(Object responseJson) {
        String s = String.valueOf(responseJson);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)").matcher(s);
        return m.find() ? m.group(1) : "none";
    }

    private static long uptime() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }
}
