package dev.c2cast.streamsmart.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.c2cast.testkit.EventMix;
import dev.c2cast.testkit.Gen;
import dev.c2cast.testkit.Property;

/**
 * Random join / leave / crash / hang sequences against the whole protocol in the simulator; after one quiet
 * repair window every invariant of the issue must hold, and no surviving viewer may miss a sequence number.
 */
class OverlayPropertyTest
{
    private enum Op
    {
        JOIN, LEAVE, CRASH, HANG, INTRUDE
    }

    private static final EventMix<Op> MIX = EventMix.<Op>builder()
        .add(Op.JOIN, 5).add(Op.LEAVE, 2).add(Op.CRASH, 3).add(Op.HANG, 2).add(Op.INTRUDE, 1).build();
    static final long REPAIR_WINDOW_MS = 3_000;

    @Property(seeds = 300)
    void invariantsHoldAfterChurn(final Gen gen)
    {
        final boolean withLeafOnly = gen.chance(0.3);
        final boolean relayPolicy = gen.bool();
        final int initial = gen.size(1, 40);
        final int pool = initial + 30;
        final TreeConfig config = TreeConfig.defaults()
            .withShape(gen.intBetween(2, 4), gen.intBetween(2, 4), gen.intBetween(2, 6))
            .withRelayThroughNonViewers(relayPolicy)
            .withRingCapacity(1024);
        final Set<Long> authorized = new HashSet<>();
        for (long id = 1; id <= pool; id++)
        {
            authorized.add(id);
        }
        final TreeSimulation sim = new TreeSimulation(config, gen.nextLong(), authorized, 2, 3, 20, 25);
        final List<Long> live = new ArrayList<>();
        for (long id = 1; id <= initial; id++)
        {
            final Intent intent = gen.chance(0.15) ? Intent.IGNORE : gen.chance(0.2) ? Intent.RECORD : Intent.WATCH;
            sim.addMember(id, owner -> intent, withLeafOnly && gen.chance(0.15));
            live.add(id);
        }
        sim.announce();
        sim.startSource();
        sim.runFor(1_000);
        long nextId = initial + 1;
        long intruder = 1_000_000;
        final List<TreeSimulation.Node> intruders = new ArrayList<>();
        for (final Op op : gen.events(MIX, gen.intBetween(5, 30)))
        {
            switch (op)
            {
                case JOIN:
                    if (nextId <= pool)
                    {
                        final long id = nextId++;
                        sim.addMember(id, owner -> Intent.WATCH, withLeafOnly && gen.chance(0.15));
                        sim.node(id).engine.join(TreeSimulation.RADIX, TreeSimulation.STREAM,
                            sim.radix().issueToken(id, sim.nanoTime() + 3_600_000_000_000L), Intent.WATCH);
                        live.add(id);
                    }
                    break;
                case LEAVE:
                    if (!live.isEmpty())
                    {
                        final long id = live.remove(gen.nextInt(live.size()));
                        sim.node(id).engine.leave();
                    }
                    break;
                case CRASH:
                    if (!live.isEmpty())
                    {
                        sim.crash(live.remove(gen.nextInt(live.size())));
                    }
                    break;
                case HANG:
                    if (!live.isEmpty())
                    {
                        sim.hang(gen.pick(live), gen.intBetween(50, 1_500));
                    }
                    break;
                default:
                    intruders.add(intrude(sim, gen, intruder++));
                    break;
            }
            sim.runFor(gen.intBetween(1, 400));
        }
        sim.runFor(REPAIR_WINDOW_MS);
        final long upTo = sim.lastSeq() - 10;
        final List<String> violations = TreeInvariants.check(sim, authorized, !withLeafOnly, upTo);
        assertEquals(List.of(), violations, "invariants violated (" + sim.radix().topology().size() + " members)" + TreeInvariants.dump(sim));
        for (final TreeSimulation.Node node : intruders)
        {
            assertEquals(TreeMember.State.REFUSED, node.engine.state(), "intruder " + node.id + " not refused");
            assertTrue(node.received.isEmpty(), "intruder " + node.id + " received media");
            assertEquals(0, node.relay.received(), "intruder " + node.id + " received media");
        }
    }

    private static TreeSimulation.Node intrude(final TreeSimulation sim, final Gen gen, final long id)
    {
        final TreeSimulation.Node node = sim.addMember(id, owner -> Intent.WATCH, false);
        final long far = sim.nanoTime() + 3_600_000_000_000L;
        final byte[] token;
        switch (gen.nextInt(4))
        {
            case 0:
                token = null;
                break;
            case 1:
                token = new StreamToken(TreeSimulation.KEY).issue(TreeSimulation.STREAM + 1, id, far);
                break;
            case 2:
                token = sim.radix().issueToken(1, far);
                break;
            default:
                token = new StreamToken("another-owner-key-0123456789abcd".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII)).issue(TreeSimulation.STREAM, id, far);
                break;
        }
        node.engine.join(TreeSimulation.RADIX, TreeSimulation.STREAM, token, Intent.WATCH);
        return node;
    }
}
