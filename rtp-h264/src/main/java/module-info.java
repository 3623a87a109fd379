/**
 * H.264 over RTP (RFC 6184, RFC 3550) with SDP and RTSP (RFC 2326): the media layer of StreamSmart (streamsmart.md, section II).
 * <p>
 * The module name keeps the codec's name, H.264, whose terminal digits the {@code module} lint warns about.
 */
@SuppressWarnings("module")
module dev.c2cast.rtp.h264
{
    requires transitive io.netty.buffer;
    requires transitive io.netty.transport;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.codec.http;
    requires com.google.protobuf;
    requires org.slf4j;
    requires org.jctools.core;

    exports dev.c2cast.rtp.h264;
}
