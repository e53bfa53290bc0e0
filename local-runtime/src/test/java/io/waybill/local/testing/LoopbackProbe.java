package io.waybill.local.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Whether a listening port is reachable at an address. A socket bound to 127.0.0.1 refuses a connection to
 * 127.0.0.2 (another loopback address of this machine); one bound to the wildcard address accepts it, as it would
 * accept a connection from the network. Tests of "listens on loopback only" probe 127.0.0.2.
 */
public final class LoopbackProbe {
    /** The loopback address that only a wildcard-bound socket answers on. */
    public static final String OTHER_LOOPBACK = "127.0.0.2";

    private LoopbackProbe() {
    }

    /** @return whether a TCP connection to {@code address:port} is accepted within 500 ms */
    public static boolean acceptsOn(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
