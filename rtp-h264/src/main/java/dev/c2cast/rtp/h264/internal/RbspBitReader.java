package dev.c2cast.rtp.h264.internal;

/**
 * Reads bits and exp-Golomb codes (H.264 section 9.1) from a NAL unit payload, removing emulation-prevention bytes
 * ({@code 00 00 03}) on the fly so that the caller sees the raw byte sequence payload (RBSP).
 * <p>
 * Not thread-safe; one instance per parse.
 */
public final class RbspBitReader
{
    private byte[] data;
    private int end;
    private int index;
    private int zeros;
    private int current;
    private int bitsLeft;

    /**
     * Reads {@code length} bytes of {@code data} from {@code offset}.
     *
     * @param data   the escaped NAL unit bytes (without the NAL header, or with it and skipped by the caller).
     * @param offset first byte.
     * @param length number of bytes.
     */
    public RbspBitReader(final byte[] data, final int offset, final int length)
    {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        this.data = data;
        this.index = offset;
        this.end = offset + length;
    }

    /**
     * Re-points the reader at other bytes, so one instance serves many parses without allocation.
     *
     * @param data   the escaped bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @return this reader.
     */
    public RbspBitReader reset(final byte[] data, final int offset, final int length)
    {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        this.data = data;
        this.index = offset;
        this.end = offset + length;
        this.zeros = 0;
        this.bitsLeft = 0;
        return this;
    }

    private void load()
    {
        while (true)
        {
            if (index >= end)
            {
                throw new IllegalStateException("RBSP exhausted");
            }
            final int b = data[index++] & 0xFF;
            if (zeros >= 2 && b == 3)
            {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            current = b;
            bitsLeft = 8;
            return;
        }
    }

    /**
     * One bit.
     *
     * @return 0 or 1.
     * @throws IllegalStateException past the end of the data.
     */
    public int readBit()
    {
        if (bitsLeft == 0)
        {
            load();
        }
        bitsLeft--;
        return (current >>> bitsLeft) & 1;
    }

    /**
     * Up to 32 bits, most significant first.
     *
     * @param count number of bits, 0 to 32.
     * @return the unsigned value.
     */
    public long readBits(final int count)
    {
        long value = 0;
        for (int i = 0; i < count; i++)
        {
            value = (value << 1) | readBit();
        }
        return value;
    }

    /**
     * An unsigned exp-Golomb code {@code ue(v)}.
     *
     * @return the value, up to 2^32 - 2.
     * @throws IllegalStateException on a code longer than 32 leading zeros or past the end of the data.
     */
    public long readUe()
    {
        int leadingZeros = 0;
        while (readBit() == 0)
        {
            leadingZeros++;
            if (leadingZeros > 31)
            {
                throw new IllegalStateException("exp-Golomb code too long");
            }
        }
        return (1L << leadingZeros) - 1 + readBits(leadingZeros);
    }

    /**
     * A signed exp-Golomb code {@code se(v)}.
     *
     * @return the value.
     */
    public long readSe()
    {
        final long k = readUe();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }
}
