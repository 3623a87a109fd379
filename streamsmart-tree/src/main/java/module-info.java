/**
 * The StreamSmart clone overlay (streamsmart.md, section II): a balanced relay tree of cloud clones rooted at the radix, built and repaired by a distributed protocol.
 */
module dev.c2cast.streamsmart.tree
{
    requires transitive io.netty.buffer;
    requires io.netty.transport;
    requires com.google.protobuf;
    requires org.slf4j;
    requires org.jctools.core;

    exports dev.c2cast.streamsmart.tree;
}
