/**
 * Generation-based random linear network coding over GF(2^8) and the MicroNC-P2 dissemination protocol (microcast.txt, section V-B).
 * <p>
 * {@link dev.c2cast.microcast.nc.Encoder}, {@link dev.c2cast.microcast.nc.Decoder} and
 * {@link dev.c2cast.microcast.nc.Recoder} run on a table-based portable kernel everywhere, and on a SIMD kernel on the
 * JDK Vector API when the JVM starts with {@code --add-modules jdk.incubator.vector}
 * ({@link dev.c2cast.microcast.nc.Gf256#kernelName()} says which; {@code -Ddev.c2cast.microcast.nc.kernel=portable}
 * forces the portable one). On JDK 25 and later with the SIMD kernel, a {@link dev.c2cast.microcast.nc.Generation}
 * also keeps a copy of its symbols in 64-byte-aligned native memory, which encoders read
 * ({@code -Ddev.c2cast.microcast.nc.nativeSources=false} turns that off). Every kernel gives identical bytes.
 */
package dev.c2cast.microcast.nc;
