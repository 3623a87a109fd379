package dev.c2cast.rtp.h264;

/**
 * The H.264 NAL unit types the library treats specially (ITU-T H.264 Table 7-1, RFC 6184 section 5.2); every
 * other type is passed through unchanged.
 */
public final class NalUnitType
{
    /** Coded slice of a non-IDR picture. */
    public static final int SLICE = 1;
    /** Coded slice of an IDR picture. */
    public static final int IDR = 5;
    /** Supplemental enhancement information. */
    public static final int SEI = 6;
    /** Sequence parameter set. */
    public static final int SPS = 7;
    /** Picture parameter set. */
    public static final int PPS = 8;
    /** Access unit delimiter. */
    public static final int AUD = 9;
    /** Filler data. */
    public static final int FILLER = 12;
    /** RFC 6184 single-time aggregation packet. */
    public static final int STAP_A = 24;
    /** RFC 6184 fragmentation unit. */
    public static final int FU_A = 28;

    private NalUnitType()
    {
    }

    /**
     * The type field of a NAL unit header byte.
     *
     * @param headerByte the first byte of the NAL unit.
     * @return the type, 0 to 31.
     */
    public static int of(final int headerByte)
    {
        return headerByte & 0x1F;
    }

    /**
     * Whether a type is a coded slice (a "VCL" NAL, types 1 to 5).
     *
     * @param type the type.
     * @return true for picture data.
     */
    public static boolean isPicture(final int type)
    {
        return type >= SLICE && type <= IDR;
    }
}
