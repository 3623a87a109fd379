package dev.c2cast.examples.microcast;

/** How a group shares a download (microcast.txt, section VI-B). */
enum Mode
{
    /** MicroDownload over every cellular link, then MicroNC-P2 with network coding and overhearing. */
    MICROCAST("microcast"),
    /** MicroDownload over every cellular link, then BitTorrent-style pulls of plain blocks. */
    BITTORRENT_PULL("bittorrent-pull"),
    /** Every device downloads the whole file over its own link; nothing is shared. */
    NO_COOPERATION("no-cooperation");

    private final String label;

    Mode(final String label)
    {
        this.label = label;
    }

    String label()
    {
        return label;
    }
}
