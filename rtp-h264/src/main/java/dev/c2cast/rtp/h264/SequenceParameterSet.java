package dev.c2cast.rtp.h264;

import dev.c2cast.rtp.h264.internal.RbspBitReader;

/**
 * The fields of an H.264 sequence parameter set (H.264 section 7.3.2.1.1) that a media layer needs: profile,
 * constraint flags and level (which form the SDP {@code profile-level-id}), and the cropped picture size.
 *
 * @param profileIdc      {@code profile_idc}, such as 66 (Baseline), 77 (Main) or 100 (High).
 * @param constraintFlags the byte holding {@code constraint_set0_flag} to {@code constraint_set5_flag}.
 * @param levelIdc        {@code level_idc}, ten times the level number (31 for level 3.1).
 * @param id              {@code seq_parameter_set_id}.
 * @param chromaFormatIdc {@code chroma_format_idc}: 1 for 4:2:0.
 * @param width           displayed width in luma samples, after cropping.
 * @param height          displayed height in luma samples, after cropping.
 * @param log2MaxFrameNum {@code log2_max_frame_num_minus4 + 4}: the bit length of {@code frame_num} in slice headers.
 * @param separateColourPlane {@code separate_colour_plane_flag}: slice headers then carry {@code colour_plane_id}.
 */
public record SequenceParameterSet(
    int profileIdc,
    int constraintFlags,
    int levelIdc,
    int id,
    int chromaFormatIdc,
    int width,
    int height,
    int log2MaxFrameNum,
    boolean separateColourPlane)
{
    /**
     * Parses an SPS NAL unit (with its header byte), removing emulation-prevention bytes.
     *
     * @param nal    the bytes.
     * @param offset index of the NAL header byte.
     * @param length length of the NAL unit.
     * @return the parsed fields.
     * @throws RtpH264Exception with {@link RtpH264Exception.Reason#MALFORMED} if it is not an SPS or is truncated.
     */
    public static SequenceParameterSet parse(final byte[] nal, final int offset, final int length)
    {
        if (length < 4 || NalUnitType.of(nal[offset]) != NalUnitType.SPS)
        {
            throw new RtpH264Exception(RtpH264Exception.Reason.MALFORMED, "not an SPS NAL unit");
        }
        try
        {
            return parseRbsp(new RbspBitReader(nal, offset + 1, length - 1));
        }
        catch (final IllegalStateException ex)
        {
            throw new RtpH264Exception(RtpH264Exception.Reason.MALFORMED, "SPS: " + ex.getMessage());
        }
    }

    /**
     * Parses an SPS NAL unit held alone in an array.
     *
     * @param nal the NAL unit, header byte first.
     * @return the parsed fields.
     */
    public static SequenceParameterSet parse(final byte[] nal)
    {
        return parse(nal, 0, nal.length);
    }

    /**
     * The SDP {@code profile-level-id} (RFC 6184 section 8.1): six hex digits of profile, constraints and level.
     *
     * @return such as {@code "42c01e"}.
     */
    public String profileLevelId()
    {
        return String.format("%02x%02x%02x", profileIdc, constraintFlags, levelIdc);
    }

    private static SequenceParameterSet parseRbsp(final RbspBitReader r)
    {
        final int profileIdc = (int)r.readBits(8);
        final int constraintFlags = (int)r.readBits(8);
        final int levelIdc = (int)r.readBits(8);
        final int id = (int)r.readUe();
        if (id > 31)
        {
            throw new IllegalStateException("seq_parameter_set_id " + id);
        }
        int chromaFormatIdc = 1;
        boolean separateColourPlane = false;
        if (hasChromaInfo(profileIdc))
        {
            chromaFormatIdc = (int)r.readUe();
            if (chromaFormatIdc > 3)
            {
                throw new IllegalStateException("chroma_format_idc " + chromaFormatIdc);
            }
            if (chromaFormatIdc == 3)
            {
                separateColourPlane = r.readBit() == 1;
            }
            r.readUe();
            r.readUe();
            r.readBit();
            if (r.readBit() == 1)
            {
                final int lists = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++)
                {
                    if (r.readBit() == 1)
                    {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        final long log2MaxFrameNum = r.readUe() + 4;
        if (log2MaxFrameNum > 16)
        {
            throw new IllegalStateException("log2_max_frame_num " + log2MaxFrameNum);
        }
        final long pocType = r.readUe();
        if (pocType == 0)
        {
            r.readUe();
        }
        else if (pocType == 1)
        {
            r.readBit();
            r.readSe();
            r.readSe();
            final long cycle = r.readUe();
            if (cycle > 255)
            {
                throw new IllegalStateException("num_ref_frames_in_pic_order_cnt_cycle " + cycle);
            }
            for (int i = 0; i < cycle; i++)
            {
                r.readSe();
            }
        }
        else if (pocType != 2)
        {
            throw new IllegalStateException("pic_order_cnt_type " + pocType);
        }
        r.readUe();
        r.readBit();
        final long widthInMbs = r.readUe() + 1;
        final long heightInMapUnits = r.readUe() + 1;
        final int frameMbsOnly = r.readBit();
        if (frameMbsOnly == 0)
        {
            r.readBit();
        }
        r.readBit();
        long cropLeft = 0;
        long cropRight = 0;
        long cropTop = 0;
        long cropBottom = 0;
        if (r.readBit() == 1)
        {
            cropLeft = r.readUe();
            cropRight = r.readUe();
            cropTop = r.readUe();
            cropBottom = r.readUe();
        }
        final int arrayType = separateColourPlane ? 0 : chromaFormatIdc;
        final int cropUnitX = arrayType == 0 ? 1 : (arrayType == 3 ? 1 : 2);
        final int cropUnitY = (arrayType == 0 ? 1 : (arrayType == 1 ? 2 : 1)) * (2 - frameMbsOnly);
        final long width = widthInMbs * 16 - cropUnitX * (cropLeft + cropRight);
        final long height = (2 - frameMbsOnly) * heightInMapUnits * 16 - cropUnitY * (cropTop + cropBottom);
        if (width <= 0 || height <= 0 || width > 65536 || height > 65536)
        {
            throw new IllegalStateException("picture size " + width + "x" + height);
        }
        return new SequenceParameterSet(
            profileIdc, constraintFlags, levelIdc, id, chromaFormatIdc, (int)width, (int)height, (int)log2MaxFrameNum, separateColourPlane);
    }

    private static boolean hasChromaInfo(final int profileIdc)
    {
        switch (profileIdc)
        {
            case 100:
            case 110:
            case 122:
            case 244:
            case 44:
            case 83:
            case 86:
            case 118:
            case 128:
            case 138:
            case 139:
            case 134:
            case 135:
                return true;
            default:
                return false;
        }
    }

    private static void skipScalingList(final RbspBitReader r, final int size)
    {
        long lastScale = 8;
        long nextScale = 8;
        for (int j = 0; j < size; j++)
        {
            if (nextScale != 0)
            {
                final long delta = r.readSe();
                nextScale = Math.floorMod(lastScale + delta + 256, 256);
            }
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }
}
