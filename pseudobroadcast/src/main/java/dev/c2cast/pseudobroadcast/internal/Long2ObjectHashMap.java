package dev.c2cast.pseudobroadcast.internal;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * An open-addressing map from primitive {@code long} keys to values, so that per-frame lookups by node id do not
 * box. Linear probing with backward-shift deletion; the table doubles at a load factor of one half.
 * <p>
 * Not thread-safe: confined to its owner's thread.
 *
 * @param <V> value type.
 */
public final class Long2ObjectHashMap<V>
{
    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    /**
     * An empty map.
     *
     * @param expected expected number of entries (the table starts at least twice as large).
     */
    public Long2ObjectHashMap(final int expected)
    {
        final int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    private static int hash(final long key)
    {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return (int)(h ^ (h >>> 16));
    }

    /**
     * Looks a key up.
     *
     * @param key the key.
     * @return the value, or null.
     */
    @SuppressWarnings("unchecked")
    public V get(final long key)
    {
        int index = hash(key) & mask;
        Object value;
        while ((value = values[index]) != null)
        {
            if (keys[index] == key)
            {
                return (V)value;
            }
            index = (index + 1) & mask;
        }
        return null;
    }

    /**
     * Stores a value.
     *
     * @param key   the key.
     * @param value the value, not null.
     * @return the previous value, or null.
     */
    @SuppressWarnings("unchecked")
    public V put(final long key, final V value)
    {
        if (value == null)
        {
            throw new NullPointerException("value");
        }
        int index = hash(key) & mask;
        Object existing;
        while ((existing = values[index]) != null)
        {
            if (keys[index] == key)
            {
                values[index] = value;
                return (V)existing;
            }
            index = (index + 1) & mask;
        }
        keys[index] = key;
        values[index] = value;
        if (++size * 2 > keys.length)
        {
            rehash(keys.length * 2);
        }
        return null;
    }

    /**
     * Removes a key.
     *
     * @param key the key.
     * @return the removed value, or null.
     */
    @SuppressWarnings("unchecked")
    public V remove(final long key)
    {
        int index = hash(key) & mask;
        Object value;
        while ((value = values[index]) != null)
        {
            if (keys[index] == key)
            {
                values[index] = null;
                size--;
                shiftBack(index);
                return (V)value;
            }
            index = (index + 1) & mask;
        }
        return null;
    }

    private void shiftBack(final int deleted)
    {
        int gap = deleted;
        int index = (deleted + 1) & mask;
        while (values[index] != null)
        {
            final int home = hash(keys[index]) & mask;
            if (((index - home) & mask) >= ((index - gap) & mask))
            {
                keys[gap] = keys[index];
                values[gap] = values[index];
                values[index] = null;
                gap = index;
            }
            index = (index + 1) & mask;
        }
    }

    private void rehash(final int capacity)
    {
        final long[] oldKeys = keys;
        final Object[] oldValues = values;
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (oldValues[i] != null)
            {
                int index = hash(oldKeys[i]) & mask;
                while (values[index] != null)
                {
                    index = (index + 1) & mask;
                }
                keys[index] = oldKeys[i];
                values[index] = oldValues[i];
            }
        }
    }

    /**
     * Number of entries.
     *
     * @return the size.
     */
    public int size()
    {
        return size;
    }

    /**
     * Removes everything.
     */
    public void clear()
    {
        Arrays.fill(values, null);
        size = 0;
    }

    /**
     * Visits every entry in table order (stable for a given history of operations).
     *
     * @param action called with each key and value; must not modify the map.
     */
    @SuppressWarnings("unchecked")
    public void forEach(final BiConsumer<Long, V> action)
    {
        for (int i = 0; i < keys.length; i++)
        {
            if (values[i] != null)
            {
                action.accept(keys[i], (V)values[i]);
            }
        }
    }
}
