package dev.c2cast.microcast.nc.sim;

/**
 * The dissemination engine a scenario runs on every device.
 */
public enum EngineKind
{
    /** {@link dev.c2cast.microcast.nc.p2.MicroNcP2}. */
    MICRONC_P2,
    /** {@link dev.c2cast.microcast.nc.p2.BitTorrentPull}. */
    BITTORRENT_PULL,
    /** {@link dev.c2cast.microcast.nc.p2.R2Push}. */
    R2_PUSH,
    /** {@link dev.c2cast.microcast.nc.p2.NoCooperation}: every device with a cellular link downloads the whole file. */
    NO_COOPERATION
}
