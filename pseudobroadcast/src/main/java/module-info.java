/**
 * MicroBroadcast, the pseudo-broadcast transport of MicroCast (microcast.txt, section V-C): frames sent by unicast to one peer and overheard by every other peer in range.
 */
module dev.c2cast.pseudobroadcast
{
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires com.google.protobuf;
    requires org.slf4j;
    requires org.jctools.core;

    exports dev.c2cast.pseudobroadcast;
}
