/**
 * MicroDownload (microcast.txt, sections V-A and V-D): segment assignment by smallest backlog over the group's cellular links, producers, storage and playback.
 */
module dev.c2cast.microcast.download
{
    requires transitive io.netty.buffer;
    requires io.netty.common;
    requires transitive io.netty.transport;
    requires io.netty.handler;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires transitive dev.c2cast.pseudobroadcast;
    requires com.google.protobuf;
    requires org.slf4j;
    requires org.jctools.core;

    exports dev.c2cast.microcast.download;
}
