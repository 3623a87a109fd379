package dev.c2cast.testkit;

/**
 * Hex test vectors: {@code Hex.decode("80 60 00 01 | de ad")} ignores white space, {@code |} and {@code :}, so
 * vectors can be laid out field by field as in an RFC.
 */
public final class Hex
{
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex()
    {
    }

    /**
     * Parses hex digits, ignoring separators.
     *
     * @param text the digits.
     * @return the bytes.
     * @throws IllegalArgumentException on a character that is neither a hex digit nor a separator, or an odd
     *                                  number of digits.
     */
    public static byte[] decode(final CharSequence text)
    {
        final byte[] out = new byte[text.length() / 2];
        int count = 0;
        int high = -1;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final int digit = Character.digit(c, 16);
            if (digit < 0 || c > 'f')
            {
                if (Character.isWhitespace(c) || c == '|' || c == ':')
                {
                    continue;
                }
                throw new IllegalArgumentException("not a hex digit at index " + i + ": '" + c + "'");
            }
            if (high < 0)
            {
                high = digit;
            }
            else
            {
                out[count++] = (byte)((high << 4) | digit);
                high = -1;
            }
        }
        if (high >= 0)
        {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        return java.util.Arrays.copyOf(out, count);
    }

    /**
     * Formats bytes as lower-case hex without separators.
     *
     * @param bytes the bytes.
     * @return the digits.
     */
    public static String encode(final byte[] bytes)
    {
        final char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++)
        {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(out);
    }
}
