/**
 * Generation-based random linear network coding over GF(2^8) and the MicroNC-P2 dissemination protocol (microcast.txt, section V-B).
 */
module dev.c2cast.microcast.nc
{
    requires transitive io.netty.buffer;
    requires com.google.protobuf;
    requires org.slf4j;
    requires org.jctools.core;
    requires transitive dev.c2cast.pseudobroadcast;
    requires java.desktop;

    exports dev.c2cast.microcast.nc;
    exports dev.c2cast.microcast.nc.num;
    exports dev.c2cast.microcast.nc.p2;
    exports dev.c2cast.microcast.nc.sim;
}
