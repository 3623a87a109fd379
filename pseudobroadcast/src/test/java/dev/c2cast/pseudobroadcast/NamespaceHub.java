package dev.c2cast.pseudobroadcast;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.c2cast.testkit.Environment;

/**
 * A shared wireless medium emulated with Linux network namespaces (interop recipe C.3): one namespace per node,
 * joined through a bridge in a hub namespace that never learns addresses ({@code ageing_time 0}) and so floods
 * every unicast frame to every port like a hub; optional Bernoulli loss on one port (nftables {@code numgen}),
 * one token-bucket bottleneck shared by every transmission (tc tbf on an ifb), and optional kernel-assisted
 * overhearing (an nftables netdev rule that turns frames for other hosts into frames for this host).
 * <p>
 * Node {@code i} (0-based) is namespace {@code <prefix>n<i>} with address {@code 10.77.0.<i+1>/24} on {@code eth0}.
 * Names carry a random prefix, so concurrent runs do not collide; {@link #close()} deletes every namespace, which
 * deletes their links, qdiscs and rules with them. Every command runs under {@code timeout}.
 */
final class NamespaceHub implements AutoCloseable
{
    /** The shared bottleneck rate. */
    static final String RATE = "20mbit";

    private final String prefix = "pb" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
    private final List<String> namespaces = new ArrayList<>();
    private final int nodes;

    private NamespaceHub(final int nodes)
    {
        this.nodes = nodes;
    }

    /** Skips locally, fails in CI, unless root and the tools are present. */
    static void requireEnvironment()
    {
        Environment.requireRoot();
        Environment.requireCommand("ip");
        Environment.requireCommand("nft");
        Environment.requireCommand("tc");
        Environment.requireCommand("timeout");
    }

    /**
     * Builds the hub.
     *
     * @param nodes       number of node namespaces.
     * @param lossyNode   node whose hub port drops frames, or -1.
     * @param lossPercent drop probability in percent on that port.
     * @return the hub.
     * @throws IOException if a command fails (everything created so far is deleted).
     */
    static NamespaceHub create(final int nodes, final int lossyNode, final int lossPercent) throws IOException
    {
        final NamespaceHub hub = new NamespaceHub(nodes);
        try
        {
            hub.build(lossyNode, lossPercent);
        }
        catch (final IOException | RuntimeException ex)
        {
            hub.close();
            throw ex;
        }
        return hub;
    }

    String hubNamespace()
    {
        return prefix + "h";
    }

    String nodeNamespace(final int node)
    {
        return prefix + "n" + node;
    }

    static String address(final int node)
    {
        return "10.77.0." + (node + 1);
    }

    private void build(final int lossyNode, final int lossPercent) throws IOException
    {
        final String hub = hubNamespace();
        addNamespace(hub);
        run("ip", "-n", hub, "link", "add", "br0", "type", "bridge", "ageing_time", "0", "stp_state", "0",
            "mcast_snooping", "0");
        run("ip", "-n", hub, "link", "set", "br0", "up");
        run("ip", "-n", hub, "link", "add", "ifb0", "type", "ifb");
        run("ip", "-n", hub, "link", "set", "ifb0", "up");
        run("ip", "netns", "exec", hub, "tc", "qdisc", "add", "dev", "ifb0", "root", "tbf", "rate", RATE, "burst", "32kb",
            "latency", "50ms");
        for (int i = 0; i < nodes; i++)
        {
            final String ns = nodeNamespace(i);
            final String port = "v" + i;
            addNamespace(ns);
            run("ip", "-n", hub, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
            run("ip", "-n", hub, "link", "set", port, "master", "br0", "up");
            run("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
            run("ip", "-n", ns, "link", "set", "eth0", "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
            run("ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", "eth0");
            run("ip", "netns", "exec", hub, "tc", "qdisc", "add", "dev", port, "handle", "ffff:", "ingress");
            run("ip", "netns", "exec", hub, "tc", "filter", "add", "dev", port, "parent", "ffff:", "protocol", "all", "u32",
                "match", "u32", "0", "0", "action", "mirred", "egress", "redirect", "dev", "ifb0");
        }
        if (lossyNode >= 0)
        {
            nft(hub, "table bridge medium {\n chain brfwd {\n  type filter hook forward priority 0; policy accept;\n" +
                "  oifname \"v" + lossyNode + "\" ip protocol udp numgen random mod 100 < " + lossPercent +
                " counter drop\n }\n}\n");
        }
    }

    /**
     * Installs kernel-assisted overhearing in a node: UDP frames to another host of the subnet on a port are
     * delivered to this host's socket on that port.
     *
     * @param node the node.
     * @param port the UDP port.
     * @throws IOException if nft fails.
     */
    void overhear(final int node, final int port) throws IOException
    {
        nft(nodeNamespace(node), "table netdev overhear {\n chain in {\n  type filter hook ingress device \"eth0\" priority 0;" +
            " policy accept;\n  meta pkttype other ip daddr 10.77.0.0/24 udp dport " + port +
            " meta pkttype set host ip daddr set " + address(node) + "\n }\n}\n");
    }

    /**
     * Packets the loss rule dropped.
     *
     * @return the nft counter, or -1 if absent.
     * @throws IOException if nft fails.
     */
    long droppedByLossRule() throws IOException
    {
        final String listing = run("ip", "netns", "exec", hubNamespace(), "nft", "list", "table", "bridge", "medium");
        final java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(listing);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private void addNamespace(final String name) throws IOException
    {
        run("ip", "netns", "add", name);
        namespaces.add(name);
    }

    private void nft(final String namespace, final String script) throws IOException
    {
        final Process process = new ProcessBuilder("timeout", "-k", "5", "20", "ip", "netns", "exec", namespace, "nft", "-f", "-")
            .redirectErrorStream(true).start();
        process.getOutputStream().write(script.getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        finish(process, "nft -f - in " + namespace + ": " + script);
    }

    static String run(final String... command) throws IOException
    {
        final List<String> bounded = new ArrayList<>(List.of("timeout", "-k", "5", "20"));
        bounded.addAll(List.of(command));
        final Process process = new ProcessBuilder(bounded).redirectErrorStream(true).start();
        process.getOutputStream().close();
        return finish(process, String.join(" ", command));
    }

    private static String finish(final Process process, final String what) throws IOException
    {
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException("timed out: " + what);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted: " + what, ex);
        }
        if (process.exitValue() != 0)
        {
            throw new IOException("failed (" + process.exitValue() + "): " + what + "\n" + output);
        }
        return output;
    }

    @Override
    public void close()
    {
        for (int i = namespaces.size() - 1; i >= 0; i--)
        {
            try
            {
                run("ip", "netns", "del", namespaces.get(i));
            }
            catch (final IOException ex)
            {
                System.err.println("[NamespaceHub] teardown: " + ex.getMessage());
            }
        }
        namespaces.clear();
    }
}
