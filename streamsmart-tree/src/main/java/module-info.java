/**
 * The StreamSmart clone overlay (streamsmart.md, section II): a balanced relay tree of cloud clones rooted at the radix, built and repaired by a distributed protocol.
 */
module dev.c2cast.streamsmart.tree
{
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires io.netty.common;
    requires java.management;
    requires com.google.protobuf;
    requires org.slf4j;
    requires org.jctools.core;

    exports dev.c2cast.streamsmart.tree;
}
