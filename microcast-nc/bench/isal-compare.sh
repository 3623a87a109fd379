#!/usr/bin/env bash
# Side-by-side benchmark of microcast-nc against Intel ISA-L on this machine (docs/microcast-nc/BENCHMARKS.md).
#
# Builds the C program (isal_compare.c, against Debian's libisal-dev) and the JMH benchmarks jar, then for each
# symbol size runs, back to back, the ISA-L program and CodingBenchmark on every configured JVM/kernel:
#   JDK 25 + SIMD kernel, JDK 17 + SIMD kernel (--add-modules jdk.incubator.vector), JDK 17 portable kernel.
# Three clocks (CLOCK, default "paired"), each giving one table:
#   paired IsalPaired: one JVM drives isal_compare (serve mode) and alternates ISA-L and Java trials of MILLIS ms of
#         CPU time, PAIRS pairs after warm-up, so each Java trial is set against the ISA-L trials just before and
#         after it. On this shared machine the host slows both sides by different amounts for seconds at a time
#         (docs/microcast-nc/BENCHMARKS.md), so trials minutes apart compare different machines; adjacent ones do
#         not. Prints, per JVM, best Java trial / best ISA-L trial of the same window and the median of the pair
#         ratios (Java trial / mean of its two ISA-L neighbours); the table has the median of ROUNDS JVMs of each.
#         Charts (PNG + CSV) of every JVM's trials go to microcast-nc/target/bench/paired-*.
#   wall  JMH (CodingBenchmark) against isal_compare timed by the wall clock;
#   cpu   CodingThroughput (the same operations) against isal_compare, both timed by the thread's CPU time, so
#         time spent descheduled by other work on this shared machine does not count.
# Both sides report the best of several short trials/iterations (noise only slows a trial down, so the best is
# the least disturbed figure on both sides). Each comparison runs ROUNDS interleaved rounds (ISA-L, then a fresh
# JVM, ROUNDS times, then ISA-L once more) and sets the median of the JVM figures against the median of the ISA-L
# figures: both sides get the same treatment, and one disturbed round (or one JVM whose JIT compiled a loop worse)
# does not decide the ratio. The per-round figures are printed too.
#
# Prints MB/s of source data (g * s bytes per generation) and the ratio Java / ISA-L:
#   encode    Java: g framed coded packets, fresh random coefficients per packet (Encoder.writePackets, payloads
#             computed in place in the packets' heap buffers)
#             ISA-L: ec_encode_data with tables expanded once (ISA-L's best case; no per-call ec_init_tables)
#   encodeRaw Java: Encoder.encode for a fixed g x g matrix, unframed - the same work as ec_encode_data
#   decode    progressive Gauss-Jordan of g coded packets; ISA-L side does its payload work with gf_vect_mad
#
# Environment: G (default 32), SIZES (default "1400 8192"), JAVA17, JAVA25 (JDK homes), SKIP_BUILD=1, JAR (a
# benchmarks jar built elsewhere; implies SKIP_BUILD),
# TRIALS (ISA-L trials, default 8), ITERATIONS (JMH iterations, default 8), MILLIS (per trial/iteration, 500),
# PAIRS (paired clock, default 16), CONFIGS (default "jdk25-simd jdk17-simd jdk17-portable"), CLOCK (default
# "paired"), ROUNDS (default 3). JVM_OPTS: extra options for every JVM (e.g. -Ddev.c2cast.microcast.nc.nativeSources=false).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/microcast-nc/target/bench"
mkdir -p "$out"

G="${G:-32}"
SIZES="${SIZES:-1400 8192}"
JAVA17="${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64}"
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
TRIALS="${TRIALS:-8}"
ITERATIONS="${ITERATIONS:-8}"
MILLIS="${MILLIS:-500}"
CONFIGS="${CONFIGS:-jdk25-simd jdk17-simd jdk17-portable}"
CLOCK="${CLOCK:-paired}"
PAIRS="${PAIRS:-16}"
JVM_OPTS="${JVM_OPTS:-}"
ROUNDS="${ROUNDS:-3}"

if [ ! -f /usr/include/isa-l/erasure_code.h ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "installing libisal-dev" >&2
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libisal-dev >&2
    else
        echo "libisal-dev is missing: apt-get install libisal-dev" >&2
        exit 1
    fi
fi
gcc -O2 -Wall -o "$out/isal_compare" "$here/isal_compare.c" -lisal

jar="${JAR:-$root/benchmarks/target/benchmarks.jar}"
if [ "${SKIP_BUILD:-0}" != 1 ] && [ -z "${JAR:-}" ]; then
    # JAVA25_HOME turns on the simd25 profile of microcast-nc (aligned native sources on JDK 25).
    (cd "$root" && JAVA25_HOME="${JAVA25_HOME:-$JAVA25}" ./mvnw -q -pl benchmarks -am package -Dmaven.test.skip=true) >&2
fi

isal() { # clock op s -> MB/s
    if [ "$1" = cpu ]; then
        ISAL_CPU_TIME=1 "$out/isal_compare" "$2" "$G" "$3" "$TRIALS" "$MILLIS" | awk '{print $NF}'
    else
        "$out/isal_compare" "$2" "$G" "$3" "$TRIALS" "$MILLIS" | awk '{print $NF}'
    fi
}

jvm() { # config -> sets java and jvmflag
    case "$1" in
        jdk25-simd) java="$JAVA25/bin/java"; jvmflag="--add-modules=jdk.incubator.vector" ;;
        jdk17-simd) java="$JAVA17/bin/java"; jvmflag="--add-modules=jdk.incubator.vector" ;;
        jdk17-portable) java="$JAVA17/bin/java"; jvmflag="-Ddev.c2cast.microcast.nc.kernel=portable" ;;
        jdk25-portable) java="$JAVA25/bin/java"; jvmflag="-Ddev.c2cast.microcast.nc.kernel=portable" ;;
        *) echo "unknown config $1" >&2; return 1 ;;
    esac
    jvmflag="$jvmflag${JVM_OPTS:+ $JVM_OPTS}"
    if [ ! -x "$java" ]; then
        echo "skipping $1: $java not found" >&2
        return 1
    fi
}

jmh() { # config s -> writes $out/<config>-<s>.json
    jvm "$1" || return 1
    "$java" -jar "$jar" 'CodingBenchmark\.(encode|encodeRaw|decode)$' -p g="$G" -p s="$2" -f 1 \
        -wi 3 -w "${MILLIS}ms" -i "$ITERATIONS" -r "${MILLIS}ms" -jvmArgsAppend "$jvmflag" \
        -rf json -rff "$out/$1-$2.json" > "$out/$1-$2.log" 2>&1
}

cputime() { # config op s -> MB/s
    jvm "$1" || return 1
    # shellcheck disable=SC2086
    "$java" $jvmflag -cp "$jar" dev.c2cast.microcast.nc.CodingThroughput "$2" "$G" "$3" "$ITERATIONS" "$MILLIS" \
        2>/dev/null | awk '/^java /{print $NF}'
}

paired() { # config op s round -> "best_ratio median_ratio java_best isal_best"
    jvm "$1" || return 1
    # shellcheck disable=SC2086
    "$java" $jvmflag -cp "$jar" dev.c2cast.microcast.nc.IsalPaired "$2" "$G" "$3" "$PAIRS" "$MILLIS" \
        "$out/isal_compare" "$out/paired-$1-$2-$3-$4" 2>"$out/paired-$1-$2-$3-$4.log" \
        | awk '/^paired /{for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                           print v["best_ratio"], v["median_ratio"], v["java_best"], v["isal_best"]}'
}

best() { # json benchmark-suffix s -> MB/s (best iteration)
    python3 - "$1" "$2" "$G" "$3" <<'PY'
import json, sys
path, name, g, s = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for r in json.load(open(path)):
    if r["benchmark"].endswith("." + name):
        samples = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        print("%.1f" % (max(samples) * g * s / 1e6))
        break
PY
}

median() { # values... -> median
    python3 -c 'import statistics, sys; print("%.1f" % statistics.median(float(x) for x in sys.argv[1:]))' "$@"
}

median3() { # ratios... -> median with 3 decimals
    python3 -c 'import statistics, sys; print("%.3f" % statistics.median(float(x) for x in sys.argv[1:]))' "$@"
}

for clock in $CLOCK; do
    if [ "$clock" = paired ]; then
        echo
        echo "clock: paired (CPU time; ISA-L and Java trials of $MILLIS ms alternating in one run, $PAIRS pairs per JVM;"
        echo "best = best Java trial / best ISA-L trial of the same run, pairs = median of Java trial / mean of its"
        echo "ISA-L neighbours; each the median of $ROUNDS JVMs, per-JVM figures in brackets)"
        printf '%-15s %-10s %6s %10s %10s %8s %8s  %s\n' config op s java_MB/s isal_MB/s best pairs runs
        for s in $SIZES; do
            for config in $CONFIGS; do
                jvm "$config" 2>/dev/null || continue
                for op in encode decode; do
                    bests=(); meds=(); javas=(); isals=()
                    for round in $(seq "$ROUNDS"); do
                        read -r b m j i < <(paired "$config" "$op" "$s" "$round") || continue
                        bests+=("$b"); meds+=("$m"); javas+=("$j"); isals+=("$i")
                    done
                    [ "${#bests[@]}" -gt 0 ] || continue
                    printf '%-15s %-10s %6s %10s %10s %7sx %7sx  [%s ] [%s ]\n' "$config" "$op" "$s" \
                        "$(median "${javas[@]}")" "$(median "${isals[@]}")" "$(median3 "${bests[@]}")" \
                        "$(median3 "${meds[@]}")" "${bests[*]}" "${meds[*]}"
                done
            done
        done
        continue
    fi
    echo
    echo "clock: $clock (MB/s of source data, best trial per run; median of $ROUNDS JVMs against median of"
    echo "$((ROUNDS + 1)) ISA-L runs interleaved with them; ratio = Java / ISA-L; per-run figures in brackets)"
    printf '%-15s %-10s %6s %12s %12s %8s  %s\n' config op s java_MB/s isal_MB/s ratio runs
    for s in $SIZES; do
        for config in $CONFIGS; do
            jvm "$config" 2>/dev/null || continue
            declare -A runs=()
            for round in $(seq "$ROUNDS") last; do
                runs[isal_encode]+=" $(isal "$clock" encode "$s")"
                runs[isal_decode]+=" $(isal "$clock" decode "$s")"
                [ "$round" = last ] && break
                if [ "$clock" = wall ]; then
                    jmh "$config" "$s" || continue 2
                    for op in encode encodeRaw decode; do
                        runs[$op]+=" $(best "$out/$config-$s.json" "$op" "$s")"
                    done
                else
                    for op in encode encodeRaw decode; do
                        runs[$op]+=" $(cputime "$config" "$op" "$s")"
                    done
                fi
            done
            for op in encode encodeRaw decode; do
                ref=isal_encode
                [ "$op" = decode ] && ref=isal_decode
                # shellcheck disable=SC2086
                java_mbs="$(median ${runs[$op]})"
                # shellcheck disable=SC2086
                isal_mbs="$(median ${runs[$ref]})"
                ratio="$(python3 -c "print('%.2f' % ($java_mbs / $isal_mbs))")"
                printf '%-15s %-10s %6s %12s %12s %8s  [%s ] [%s ]\n' "$config" "$op" "$s" "$java_mbs" "$isal_mbs" \
                    "${ratio}x" "${runs[$op]}" "${runs[$ref]}"
            done
            unset runs
        done
    done
done
