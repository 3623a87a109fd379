/*
 * The ISA-L side of microcast-nc/bench/isal-compare.sh: the same operations as the JMH CodingBenchmark, on
 * Intel ISA-L (Debian libisal-dev), so the two can be compared in one run on one machine.
 *
 *   encode: g coded symbols from g source symbols of s bytes with ec_encode_data, the tables of one random
 *           g x g coefficient matrix expanded once by ec_init_tables (ISA-L's own best case, the figure the
 *           ratios are taken against).
 *   encode-fresh: the same with a fresh random matrix and ec_init_tables on every call, which is what a random
 *           linear network coder has to do (each coded packet has new coefficients).
 *   decode: progressive Gauss-Jordan over g coded packets as they arrive, exactly the algorithm of
 *           dev.c2cast.microcast.nc.Decoder: reduce the arriving row by each present pivot row, normalise,
 *           eliminate its pivot from the other rows. Payload work is gf_vect_mad (one source, one destination,
 *           32-byte table per coefficient, tables precomputed for all 256 values); the g-byte coefficient rows
 *           use scalar gf_mul tables.
 *
 * Output, one line per run: "isal <op> g=<g> s=<s> <MB/s of source data>", the best of <trials> timed trials
 * of about <millis> ms each (best, because the machine is shared and noise only ever slows a trial down), timed
 * by the wall clock like JMH, or by this thread's CPU time when ISAL_CPU_TIME is set.
 *
 * With ISAL_SERVE set it prints "ready" after its setup and then runs one trial for every line it reads on stdin,
 * printing that trial's MB/s: the paired mode, in which dev.c2cast.microcast.nc.IsalPaired (benchmarks) alternates
 * ISA-L and Java trials so that each Java trial is set against ISA-L trials run just before and just after it.
 *
 * Build: gcc -O2 -o isal_compare isal_compare.c -lisal
 */
#include <isa-l/erasure_code.h>
#include <isa-l/gf_vect_mul.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t state = 0x9E3779B97F4A7C15ULL;

static uint64_t next64(void)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void fill(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
    {
        p[i] = (unsigned char)next64();
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(getenv("ISAL_CPU_TIME") ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static unsigned char mul_table[256][256];
static unsigned char inv_table[256];
static unsigned char mad_tables[256][32];

static void init_field(void)
{
    for (int a = 0; a < 256; a++)
    {
        for (int b = 0; b < 256; b++)
        {
            mul_table[a][b] = gf_mul((unsigned char)a, (unsigned char)b);
        }
        inv_table[a] = a == 0 ? 0 : gf_inv((unsigned char)a);
        gf_vect_mul_init((unsigned char)a, mad_tables[a]);
    }
}

/* ---- encode ---- */

struct encode_state
{
    int g, s;
    unsigned char *matrix, *tables;
    unsigned char **sources, **outputs;
};

static void encode_once(struct encode_state *e, int fresh)
{
    if (fresh)
    {
        fill(e->matrix, (size_t)e->g * e->g); /* fresh coefficients, as an RLNC encoder draws */
        ec_init_tables(e->g, e->g, e->matrix, e->tables);
    }
    ec_encode_data(e->s, e->g, e->g, e->tables, e->sources, e->outputs);
}

/* ---- progressive decode ---- */

struct decode_state
{
    int g, s;
    unsigned char **coded_coefs, **coded_payloads; /* g coded packets, received in order */
    unsigned char **coefs, **payloads;             /* pivot rows; row k has its pivot in column k */
    unsigned char *present;
    unsigned char *work_coefs, *work_payload;
    int rank;
};

static int decode_receive(struct decode_state *d, const unsigned char *coefs, const unsigned char *payload)
{
    const int g = d->g, s = d->s;
    unsigned char *wc = d->work_coefs, *wp = d->work_payload;
    memcpy(wc, coefs, g);
    memcpy(wp, payload, s);
    for (int j = 0; j < g; j++)
    {
        const unsigned char c = wc[j];
        if (c != 0 && d->present[j])
        {
            const unsigned char *rc = d->coefs[j];
            for (int i = 0; i < g; i++)
            {
                wc[i] ^= mul_table[c][rc[i]];
            }
            gf_vect_mad(s, 1, 0, mad_tables[c], d->payloads[j], wp);
        }
    }
    int pivot = -1;
    for (int j = 0; j < g; j++)
    {
        if (wc[j] != 0)
        {
            pivot = j;
            break;
        }
    }
    if (pivot < 0)
    {
        return 0;
    }
    const unsigned char inv = inv_table[wc[pivot]];
    unsigned char *nc = d->coefs[pivot], *np = d->payloads[pivot];
    for (int i = 0; i < g; i++)
    {
        nc[i] = mul_table[inv][wc[i]];
    }
    gf_vect_mul(s, mad_tables[inv], wp, np);
    for (int r = 0; r < g; r++)
    {
        if (d->present[r])
        {
            const unsigned char c = d->coefs[r][pivot];
            if (c != 0)
            {
                unsigned char *rc = d->coefs[r];
                for (int i = 0; i < g; i++)
                {
                    rc[i] ^= mul_table[c][nc[i]];
                }
                gf_vect_mad(s, 1, 0, mad_tables[c], np, d->payloads[r]);
            }
        }
    }
    d->present[pivot] = 1;
    d->rank++;
    return 1;
}

static void decode_once(struct decode_state *d)
{
    memset(d->present, 0, d->g);
    d->rank = 0;
    for (int p = 0; p < d->g && d->rank < d->g; p++)
    {
        decode_receive(d, d->coded_coefs[p], d->coded_payloads[p]);
    }
}

static unsigned char **rows(int n, size_t len)
{
    unsigned char **r = malloc(sizeof(*r) * n);
    for (int i = 0; i < n; i++)
    {
        if (posix_memalign((void **)&r[i], 64, len + 64) != 0)
        {
            abort();
        }
        memset(r[i], 0, len + 64);
    }
    return r;
}

/* One timed trial of about `seconds`: MB/s of source data. */
static double trial(struct encode_state *e, struct decode_state *d, int is_encode, int fresh, double seconds)
{
    long iterations = 0;
    const double start = now();
    double elapsed;
    do
    {
        for (int k = 0; k < 8; k++)
        {
            if (is_encode)
            {
                encode_once(e, fresh);
            }
            else
            {
                decode_once(d);
            }
        }
        iterations += 8;
        elapsed = now() - start;
    }
    while (elapsed < seconds);
    return (double)iterations * e->g * e->s / elapsed / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 4)
    {
        fprintf(stderr, "usage: %s encode|encode-fresh|decode g s [trials] [millis]\n", argv[0]);
        return 2;
    }
    const char *op = argv[1];
    const int g = atoi(argv[2]);
    const int s = atoi(argv[3]);
    const int trials = argc > 4 ? atoi(argv[4]) : 5;
    const double seconds = (argc > 5 ? atoi(argv[5]) : 1000) / 1000.0;
    init_field();

    struct encode_state e = {g, s, malloc((size_t)g * g), malloc((size_t)32 * g * g), rows(g, s), rows(g, s)};
    for (int i = 0; i < g; i++)
    {
        fill(e.sources[i], s);
    }
    struct decode_state d;
    d.g = g;
    d.s = s;
    d.coded_coefs = rows(g, g);
    d.coded_payloads = e.outputs;
    d.coefs = rows(g, g);
    d.payloads = rows(g, s);
    d.present = malloc(g);
    d.work_coefs = malloc(g + 64);
    d.work_payload = rows(1, s)[0];
    /* g coded packets with an invertible random matrix (checked by decoding them once). */
    for (;;)
    {
        fill(e.matrix, (size_t)g * g);
        for (int i = 0; i < g; i++)
        {
            memcpy(d.coded_coefs[i], e.matrix + (size_t)i * g, g);
        }
        ec_init_tables(g, g, e.matrix, e.tables);
        ec_encode_data(s, g, g, e.tables, e.sources, e.outputs);
        decode_once(&d);
        if (d.rank == g)
        {
            break;
        }
    }
    for (int i = 0; i < g; i++)
    {
        if (memcmp(d.payloads[i], e.sources[i], s) != 0)
        {
            fprintf(stderr, "decode check failed at symbol %d\n", i);
            return 1;
        }
    }

    const int fresh = strcmp(op, "encode-fresh") == 0;
    const int is_encode = fresh || strcmp(op, "encode") == 0;
    if (!is_encode && strcmp(op, "decode") != 0)
    {
        fprintf(stderr, "unknown op %s\n", op);
        return 2;
    }
    if (getenv("ISAL_SERVE"))
    {
        /* Paired mode (dev.c2cast.microcast.nc.IsalPaired drives it): one timed trial per line read from stdin,
         * its MB/s printed on a line of its own, so the driver can alternate ISA-L and Java trials. */
        char line[64];
        printf("ready\n");
        fflush(stdout);
        while (fgets(line, sizeof(line), stdin) != NULL)
        {
            printf("%.1f\n", trial(&e, &d, is_encode, fresh, seconds));
            fflush(stdout);
        }
        return 0;
    }
    double best = 0;
    for (int t = 0; t < trials + 1; t++) /* trial 0 warms up */
    {
        const double mbps = trial(&e, &d, is_encode, fresh, seconds);
        if (t > 0 && mbps > best)
        {
            best = mbps;
        }
    }
    printf("isal %s g=%d s=%d %.1f\n", op, g, s, best);
    return 0;
}
