// Ed25519's R' = [s]B - [h]A through per-key comb tables. See tender_ed25519.h for the contract.
//
// Field elements are five 51-bit limbs (radix 2^51) multiplied through 128-bit products; points
// are in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z, on -x^2 + y^2 = 1 + d x^2 y^2.
// Table entries are affine, as (y + x, y - x, 2dxy), so adding one costs seven multiplications.
// The constants (d, sqrt(-1), the base point) are derived from their definitions at first use,
// not typed in.

#include "tender_ed25519.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

#define MASK51 ((uint64_t)0x7ffffffffffff)

typedef struct { uint64_t v[5]; } fe;

// A point in extended coordinates.
typedef struct { fe X, Y, Z, T; } point;

// An affine point ready to be added: y + x, y - x, 2 d x y.
typedef struct { fe yplusx, yminusx, xy2d; } niels;

#define TABLE_ROWS 32
#define TABLE_COLUMNS 8
// The base point's table, one per process, has sixteen times as many columns: [s]B then takes
// one addition per byte of s instead of one per half byte.
#define BASE_COLUMNS 128

typedef struct { niels entry[TABLE_ROWS][TABLE_COLUMNS]; } comb_table;
typedef struct { niels entry[TABLE_ROWS][BASE_COLUMNS]; } base_comb_table;

// MARK: - Field arithmetic modulo p = 2^255 - 19

static void fe_zero(fe *h) { memset(h, 0, sizeof *h); }

static void fe_small(fe *h, uint64_t n) {
    fe_zero(h);
    h->v[0] = n;
}

static void fe_copy(fe *h, const fe *f) { *h = *f; }

// One carry pass: every limb below 2^51 plus a little in limb 0.
static void fe_carry(fe *h) {
    uint64_t *t = h->v;
    t[1] += t[0] >> 51; t[0] &= MASK51;
    t[2] += t[1] >> 51; t[1] &= MASK51;
    t[3] += t[2] >> 51; t[2] &= MASK51;
    t[4] += t[3] >> 51; t[3] &= MASK51;
    t[0] += 19 * (t[4] >> 51); t[4] &= MASK51;
}

static void fe_add(fe *h, const fe *f, const fe *g) {
    for (int i = 0; i < 5; i++) h->v[i] = f->v[i] + g->v[i];
}

// f - g + 4p, carried. g's limbs must be at most 4p's (2^53 - 76 for limb 0, 2^53 - 4 for the
// others); anything multiplied, carried, or one sum of such values is below 2^52.6. The result's
// limbs are below 2^51 plus a little.
static void fe_sub(fe *h, const fe *f, const fe *g) {
    h->v[0] = f->v[0] + 0x1fffffffffffb4 - g->v[0];
    h->v[1] = f->v[1] + 0x1ffffffffffffc - g->v[1];
    h->v[2] = f->v[2] + 0x1ffffffffffffc - g->v[2];
    h->v[3] = f->v[3] + 0x1ffffffffffffc - g->v[3];
    h->v[4] = f->v[4] + 0x1ffffffffffffc - g->v[4];
    fe_carry(h);
}

static void fe_neg(fe *h, const fe *f) {
    fe zero;
    fe_zero(&zero);
    fe_sub(h, &zero, f);
}

// Carries five 128-bit column sums into limbs below 2^51, limb 1 a little more. 19 * (t4 >> 51)
// must fit 64 bits, so t4 must stay below about 2^110; with input limbs below 2^52.6 it stays
// below 2^108 (t0 to t3, which carry the 19s, reach about 2^111.5 and only need 128 bits).
static void fe_from_wide(fe *h, u128 t0, u128 t1, u128 t2, u128 t3, u128 t4) {
    t1 += (uint64_t)(t0 >> 51);
    t2 += (uint64_t)(t1 >> 51);
    t3 += (uint64_t)(t2 >> 51);
    t4 += (uint64_t)(t3 >> 51);
    uint64_t h0 = ((uint64_t)t0 & MASK51) + 19 * (uint64_t)(t4 >> 51);
    uint64_t h1 = (uint64_t)t1 & MASK51;
    h1 += h0 >> 51;
    h0 &= MASK51;
    h->v[0] = h0;
    h->v[1] = h1;
    h->v[2] = (uint64_t)t2 & MASK51;
    h->v[3] = (uint64_t)t3 & MASK51;
    h->v[4] = (uint64_t)t4 & MASK51;
}

static void fe_mul(fe *h, const fe *f, const fe *g) {
    const uint64_t r0 = f->v[0], r1 = f->v[1], r2 = f->v[2], r3 = f->v[3], r4 = f->v[4];
    const uint64_t s0 = g->v[0], s1 = g->v[1], s2 = g->v[2], s3 = g->v[3], s4 = g->v[4];
    const uint64_t s1_19 = 19 * s1, s2_19 = 19 * s2, s3_19 = 19 * s3, s4_19 = 19 * s4;
    u128 t0 = (u128)r0 * s0 + (u128)r1 * s4_19 + (u128)r2 * s3_19 + (u128)r3 * s2_19 + (u128)r4 * s1_19;
    u128 t1 = (u128)r0 * s1 + (u128)r1 * s0 + (u128)r2 * s4_19 + (u128)r3 * s3_19 + (u128)r4 * s2_19;
    u128 t2 = (u128)r0 * s2 + (u128)r1 * s1 + (u128)r2 * s0 + (u128)r3 * s4_19 + (u128)r4 * s3_19;
    u128 t3 = (u128)r0 * s3 + (u128)r1 * s2 + (u128)r2 * s1 + (u128)r3 * s0 + (u128)r4 * s4_19;
    u128 t4 = (u128)r0 * s4 + (u128)r1 * s3 + (u128)r2 * s2 + (u128)r3 * s1 + (u128)r4 * s0;
    fe_from_wide(h, t0, t1, t2, t3, t4);
}

static void fe_sq(fe *h, const fe *f) {
    const uint64_t r0 = f->v[0], r1 = f->v[1], r2 = f->v[2], r3 = f->v[3], r4 = f->v[4];
    const uint64_t d0 = 2 * r0, d1 = 2 * r1, d2 = 38 * r2, d419 = 19 * r4, d4 = 2 * d419;
    u128 t0 = (u128)r0 * r0 + (u128)d4 * r1 + (u128)d2 * r3;
    u128 t1 = (u128)d0 * r1 + (u128)d4 * r2 + (u128)r3 * (19 * r3);
    u128 t2 = (u128)d0 * r2 + (u128)r1 * r1 + (u128)d4 * r3;
    u128 t3 = (u128)d0 * r3 + (u128)d1 * r2 + (u128)r4 * d419;
    u128 t4 = (u128)d0 * r4 + (u128)d1 * r3 + (u128)r2 * r2;
    fe_from_wide(h, t0, t1, t2, t3, t4);
}

static void fe_sq_times(fe *h, const fe *f, int n) {
    fe_sq(h, f);
    for (int i = 1; i < n; i++) fe_sq(h, h);
}

// Little-endian bytes to a field element; the top bit (x's sign in an encoding) is dropped.
static void fe_frombytes(fe *h, const uint8_t s[32]) {
    uint64_t w[4];
    for (int i = 0; i < 4; i++) {
        uint64_t word = 0;
        for (int b = 7; b >= 0; b--) word = (word << 8) | s[8 * i + b];
        w[i] = word;
    }
    h->v[0] = w[0] & MASK51;
    h->v[1] = ((w[0] >> 51) | (w[1] << 13)) & MASK51;
    h->v[2] = ((w[1] >> 38) | (w[2] << 26)) & MASK51;
    h->v[3] = ((w[2] >> 25) | (w[3] << 39)) & MASK51;
    h->v[4] = (w[3] >> 12) & MASK51;
}

// The canonical encoding: the value reduced below p, little-endian.
static void fe_tobytes(uint8_t s[32], const fe *f) {
    fe h = *f;
    fe_carry(&h);
    fe_carry(&h);
    fe_carry(&h);
    uint64_t *t = h.v;
    // Now below 2^255 + a little; add 19 to find out whether it is at least p.
    uint64_t q = (t[0] + 19) >> 51;
    q = (t[1] + q) >> 51;
    q = (t[2] + q) >> 51;
    q = (t[3] + q) >> 51;
    q = (t[4] + q) >> 51;
    // q is 1 when the value is at least p: subtract p by adding 19 and dropping 2^255.
    t[0] += 19 * q;
    t[1] += t[0] >> 51; t[0] &= MASK51;
    t[2] += t[1] >> 51; t[1] &= MASK51;
    t[3] += t[2] >> 51; t[2] &= MASK51;
    t[4] += t[3] >> 51; t[3] &= MASK51;
    t[4] &= MASK51;
    uint64_t w[4];
    w[0] = t[0] | (t[1] << 51);
    w[1] = (t[1] >> 13) | (t[2] << 38);
    w[2] = (t[2] >> 26) | (t[3] << 25);
    w[3] = (t[3] >> 39) | (t[4] << 12);
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 8; b++) s[8 * i + b] = (uint8_t)(w[i] >> (8 * b));
}

static int fe_iszero(const fe *f) {
    uint8_t s[32];
    fe_tobytes(s, f);
    uint8_t any = 0;
    for (int i = 0; i < 32; i++) any |= s[i];
    return any == 0;
}

static int fe_isnegative(const fe *f) {
    uint8_t s[32];
    fe_tobytes(s, f);
    return s[0] & 1;
}

// z^(2^250 - 1), and z^11 in `z11`: the common start of inversion and of the square root.
static void fe_pow2_250_1(fe *out, fe *z11, const fe *z) {
    fe z2, z9, t, z2_5_0, z2_10_0, z2_20_0, z2_50_0, z2_100_0;
    fe_sq(&z2, z);                      // 2
    fe_sq_times(&t, &z2, 2);            // 8
    fe_mul(&z9, &t, z);                 // 9
    fe_mul(z11, &z9, &z2);              // 11
    fe_sq(&t, z11);                     // 22
    fe_mul(&z2_5_0, &t, &z9);           // 2^5 - 1
    fe_sq_times(&t, &z2_5_0, 5);
    fe_mul(&z2_10_0, &t, &z2_5_0);      // 2^10 - 1
    fe_sq_times(&t, &z2_10_0, 10);
    fe_mul(&z2_20_0, &t, &z2_10_0);     // 2^20 - 1
    fe_sq_times(&t, &z2_20_0, 20);
    fe_mul(&t, &t, &z2_20_0);           // 2^40 - 1
    fe_sq_times(&t, &t, 10);
    fe_mul(&z2_50_0, &t, &z2_10_0);     // 2^50 - 1
    fe_sq_times(&t, &z2_50_0, 50);
    fe_mul(&z2_100_0, &t, &z2_50_0);    // 2^100 - 1
    fe_sq_times(&t, &z2_100_0, 100);
    fe_mul(&t, &t, &z2_100_0);          // 2^200 - 1
    fe_sq_times(&t, &t, 50);
    fe_mul(out, &t, &z2_50_0);          // 2^250 - 1
}

// z^(p - 2) = z^(2^255 - 21) = 1/z (0 for 0).
static void fe_invert(fe *out, const fe *z) {
    fe t, z11;
    fe_pow2_250_1(&t, &z11, z);
    fe_sq_times(&t, &t, 5);             // 2^255 - 32
    fe_mul(out, &t, &z11);              // 2^255 - 21
}

// z^((p - 5) / 8) = z^(2^252 - 3).
static void fe_pow22523(fe *out, const fe *z) {
    fe t, z11;
    fe_pow2_250_1(&t, &z11, z);
    fe_sq_times(&t, &t, 2);             // 2^252 - 4
    fe_mul(out, &t, z);                 // 2^252 - 3
}

// MARK: - Constants, derived once

static fe curve_d, curve_d2, sqrt_m1;
static base_comb_table base_table;
static pthread_once_t constants_once = PTHREAD_ONCE_INIT;

static int point_decode(point *p, const uint8_t s[32]);
static int table_fill(niels *entries, int columns, const point *p);
static int constants_ready;

static void derive_constants(void) {
    fe a, b, t;
    // d = -121665 / 121666.
    fe_small(&a, 121665);
    fe_small(&b, 121666);
    fe_invert(&t, &b);
    fe_mul(&t, &a, &t);
    fe_neg(&curve_d, &t);
    fe_add(&curve_d2, &curve_d, &curve_d);
    fe_carry(&curve_d2);
    // sqrt(-1) = 2^((p - 1) / 4) = 2^(2^253 - 5) = (2^(2^252 - 3))^2 * 2: 2 is not a square mod p.
    fe_small(&a, 2);
    fe_pow22523(&t, &a);
    fe_sq(&t, &t);
    fe_mul(&sqrt_m1, &t, &a);
    // The base point: y = 4/5, x even.
    fe_small(&a, 4);
    fe_small(&b, 5);
    fe_invert(&t, &b);
    fe_mul(&t, &a, &t);
    uint8_t encoding[32];
    fe_tobytes(encoding, &t);
    point base;
    constants_ready = point_decode(&base, encoding) && table_fill(&base_table.entry[0][0], BASE_COLUMNS, &base);
}

// MARK: - Points

static void point_identity(point *p) {
    fe_zero(&p->X);
    fe_small(&p->Y, 1);
    fe_small(&p->Z, 1);
    fe_zero(&p->T);
}

// Decodes a canonical encoding: y < p, x found, and not x = 0 with the sign bit set.
static int point_decode(point *p, const uint8_t s[32]) {
    fe y, y2, u, v, v3, v7, x, vxx, check;
    fe_frombytes(&y, s);
    uint8_t again[32];
    fe_tobytes(again, &y);
    for (int i = 0; i < 31; i++)
        if (again[i] != s[i]) return 0;
    if (again[31] != (s[31] & 0x7f)) return 0;

    fe_sq(&y2, &y);
    fe one;
    fe_small(&one, 1);
    fe_sub(&u, &y2, &one);              // y^2 - 1
    fe_mul(&v, &y2, &curve_d);
    fe_add(&v, &v, &one);               // d y^2 + 1
    fe_carry(&v);
    fe_sq(&v3, &v);
    fe_mul(&v3, &v3, &v);               // v^3
    fe_sq(&v7, &v3);
    fe_mul(&v7, &v7, &v);               // v^7
    fe_mul(&x, &v7, &u);
    fe_pow22523(&x, &x);                // (u v^7)^((p - 5) / 8)
    fe_mul(&x, &x, &v3);
    fe_mul(&x, &x, &u);                 // u v^3 (u v^7)^((p - 5) / 8)

    fe_sq(&vxx, &x);
    fe_mul(&vxx, &vxx, &v);
    fe_sub(&check, &vxx, &u);
    if (!fe_iszero(&check)) {
        fe_add(&check, &vxx, &u);
        fe_carry(&check);
        if (!fe_iszero(&check)) return 0;
        fe_mul(&x, &x, &sqrt_m1);
    }
    int sign = s[31] >> 7;
    if (fe_iszero(&x) && sign) return 0;
    if (fe_isnegative(&x) != sign) fe_neg(&x, &x);

    fe_copy(&p->X, &x);
    fe_copy(&p->Y, &y);
    fe_small(&p->Z, 1);
    fe_mul(&p->T, &x, &y);
    return 1;
}

static void point_encode(uint8_t s[32], const point *p) {
    fe recip, x, y;
    fe_invert(&recip, &p->Z);
    fe_mul(&x, &p->X, &recip);
    fe_mul(&y, &p->Y, &recip);
    fe_tobytes(s, &y);
    s[31] ^= (uint8_t)(fe_isnegative(&x) << 7);
}

// r = 2p.
static void point_double(point *r, const point *p) {
    fe xx, yy, b, a, aa, x1, y1, z1, t1;
    fe_sq(&xx, &p->X);
    fe_sq(&yy, &p->Y);
    fe_sq(&b, &p->Z);
    fe_add(&b, &b, &b);                 // 2 Z^2
    fe_add(&a, &p->X, &p->Y);
    fe_sq(&aa, &a);                     // (X + Y)^2
    fe_add(&y1, &yy, &xx);              // Y^2 + X^2
    fe_sub(&z1, &yy, &xx);              // Y^2 - X^2
    fe_sub(&x1, &aa, &y1);              // 2XY
    fe_sub(&t1, &b, &z1);               // 2Z^2 - Y^2 + X^2
    // x = x1 / z1, y = y1 / t1.
    fe_mul(&r->X, &x1, &t1);
    fe_mul(&r->Y, &y1, &z1);
    fe_mul(&r->Z, &z1, &t1);
    fe_mul(&r->T, &x1, &y1);
}

// The sum both additions end on: x = E/G, y = H/F in the addition formulas' terms, made extended.
static void point_from_efgh(point *r, const fe *e, const fe *f, const fe *g, const fe *h) {
    fe_mul(&r->X, e, f);
    fe_mul(&r->Y, g, h);
    fe_mul(&r->Z, f, g);
    fe_mul(&r->T, e, h);
}

// r = p + q (or p - q when `subtract`), q affine.
static void point_add_niels(point *r, const point *p, const niels *q, int subtract) {
    fe ypx, ymx, a, b, c, d, e, f, g, h;
    fe_add(&ypx, &p->Y, &p->X);
    fe_sub(&ymx, &p->Y, &p->X);
    // -q is (-x, y): y + x and y - x trade places and 2dxy changes sign.
    fe_mul(&a, &ymx, subtract ? &q->yplusx : &q->yminusx);
    fe_mul(&b, &ypx, subtract ? &q->yminusx : &q->yplusx);
    fe_mul(&c, &p->T, &q->xy2d);
    fe_add(&d, &p->Z, &p->Z);
    fe_sub(&e, &b, &a);
    fe_add(&h, &b, &a);
    if (subtract) {
        fe_add(&f, &d, &c);
        fe_sub(&g, &d, &c);
    } else {
        fe_sub(&f, &d, &c);
        fe_add(&g, &d, &c);
    }
    point_from_efgh(r, &e, &f, &g, &h);
}

// r = p + q, both extended (for building tables).
static void point_add(point *r, const point *p, const point *q) {
    fe ypx1, ymx1, ypx2, ymx2, a, b, c, d, e, f, g, h;
    fe_add(&ypx1, &p->Y, &p->X);
    fe_sub(&ymx1, &p->Y, &p->X);
    fe_add(&ypx2, &q->Y, &q->X);
    fe_sub(&ymx2, &q->Y, &q->X);
    fe_mul(&a, &ymx1, &ymx2);
    fe_mul(&b, &ypx1, &ypx2);
    fe_mul(&c, &p->T, &q->T);
    fe_mul(&c, &c, &curve_d2);
    fe_mul(&d, &p->Z, &q->Z);
    fe_add(&d, &d, &d);
    fe_sub(&e, &b, &a);
    fe_add(&h, &b, &a);
    fe_sub(&f, &d, &c);
    fe_add(&g, &d, &c);
    point_from_efgh(r, &e, &f, &g, &h);
}

// MARK: - Tables

// entries[j * columns + k] = (k + 1) * 256^j * p for j < TABLE_ROWS, k < columns, made affine
// with one inversion for all of them. The scratch holds the points in extended form and their Z
// prefix products.
static int table_fill(niels *entries, int columns, const point *p) {
    const int count = TABLE_ROWS * columns;
    point *points = malloc((size_t)count * sizeof *points);
    fe *prefix = malloc((size_t)count * sizeof *prefix);
    if (points == NULL || prefix == NULL) {
        free(points);
        free(prefix);
        return 0;
    }
    point row = *p;
    for (int j = 0; j < TABLE_ROWS; j++) {
        points[j * columns] = row;
        for (int k = 1; k < columns; k++)
            point_add(&points[j * columns + k], &points[j * columns + k - 1], &row);
        if (j + 1 < TABLE_ROWS)
            for (int n = 0; n < 8; n++) point_double(&row, &row);
    }
    // Montgomery's trick: prefix products, one inversion, then back to front.
    prefix[0] = points[0].Z;
    for (int i = 1; i < count; i++) fe_mul(&prefix[i], &prefix[i - 1], &points[i].Z);
    fe inverse;
    fe_invert(&inverse, &prefix[count - 1]);
    for (int i = count - 1; i >= 0; i--) {
        fe zinv;
        if (i > 0) {
            fe_mul(&zinv, &inverse, &prefix[i - 1]);
            fe_mul(&inverse, &inverse, &points[i].Z);
        } else {
            zinv = inverse;
        }
        fe x, y, xy;
        fe_mul(&x, &points[i].X, &zinv);
        fe_mul(&y, &points[i].Y, &zinv);
        niels *entry = &entries[i];
        fe_add(&entry->yplusx, &y, &x);
        fe_carry(&entry->yplusx);
        fe_sub(&entry->yminusx, &y, &x);
        fe_mul(&xy, &x, &y);
        fe_mul(&entry->xy2d, &xy, &curve_d2);
    }
    free(points);
    free(prefix);
    return 1;
}

size_t tender_ed25519_table_size(void) { return sizeof(comb_table); }

int tender_ed25519_table_build(void *table, const uint8_t key[32]) {
    pthread_once(&constants_once, derive_constants);
    point a;
    if (!constants_ready || !point_decode(&a, key)) return 0;
    return table_fill(&((comb_table *)table)->entry[0][0], TABLE_COLUMNS, &a);
}

// MARK: - Scalars modulo L = 2^252 + c

static const uint64_t order[4] = {0x5812631a5cf5d3edULL, 0x14def9dea2f79cd6ULL, 0, 0x1000000000000000ULL};

static int scalar_below_order(const uint64_t w[4]) {
    for (int i = 3; i >= 0; i--) {
        if (w[i] < order[i]) return 1;
        if (w[i] > order[i]) return 0;
    }
    return 0;
}

static void scalar_load(uint64_t w[4], const uint8_t s[32]) {
    for (int i = 0; i < 4; i++) {
        uint64_t word = 0;
        for (int b = 7; b >= 0; b--) word = (word << 8) | s[8 * i + b];
        w[i] = word;
    }
}

void tender_ed25519_reduce(uint8_t out[32], const uint8_t in[64]) {
    // Horner over the bytes, most significant first, keeping r < L: r * 256 + byte is below
    // 2^261; with q = that >> 252, subtracting q * L leaves (the low 252 bits) - q * c, which
    // adding L once makes non-negative and below 2L, and one more comparison brings below L.
    uint64_t r[4] = {0, 0, 0, 0};
    for (int i = 63; i >= 0; i--) {
        uint64_t t4 = r[3] >> 56;
        uint64_t t3 = (r[3] << 8) | (r[2] >> 56);
        uint64_t t2 = (r[2] << 8) | (r[1] >> 56);
        uint64_t t1 = (r[1] << 8) | (r[0] >> 56);
        uint64_t t0 = (r[0] << 8) | in[i];
        uint64_t q = (t3 >> 60) | (t4 << 4);
        t3 &= 0x0fffffffffffffffULL;
        // t += L.
        u128 acc = (u128)t0 + order[0];
        t0 = (uint64_t)acc;
        acc = (u128)t1 + order[1] + (uint64_t)(acc >> 64);
        t1 = (uint64_t)acc;
        acc = (u128)t2 + (uint64_t)(acc >> 64);
        t2 = (uint64_t)acc;
        t3 = t3 + order[3] + (uint64_t)(acc >> 64);
        // t -= q * c, c = order's low two words.
        u128 m0 = (u128)q * order[0];
        u128 m1 = (u128)q * order[1] + (uint64_t)(m0 >> 64);
        uint64_t qc[3] = {(uint64_t)m0, (uint64_t)m1, (uint64_t)(m1 >> 64)};
        uint64_t t[4] = {t0, t1, t2, t3};
        uint64_t borrow = 0;
        for (int k = 0; k < 4; k++) {
            uint64_t sub = (k < 3 ? qc[k] : 0);
            u128 diff = (u128)t[k] - sub - borrow;
            t[k] = (uint64_t)diff;
            borrow = (uint64_t)(diff >> 64) ? 1 : 0;
        }
        if (!scalar_below_order(t)) {
            borrow = 0;
            for (int k = 0; k < 4; k++) {
                u128 diff = (u128)t[k] - order[k] - borrow;
                t[k] = (uint64_t)diff;
                borrow = (uint64_t)(diff >> 64) ? 1 : 0;
            }
        }
        memcpy(r, t, sizeof r);
    }
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 8; b++) out[8 * i + b] = (uint8_t)(r[i] >> (8 * b));
}

// Sixty-four signed digits in [-8, 8] with sum e[i] 16^i = the scalar (which is below 2^255).
static void scalar_digits(int8_t e[64], const uint8_t a[32]) {
    for (int i = 0; i < 32; i++) {
        e[2 * i] = (int8_t)(a[i] & 15);
        e[2 * i + 1] = (int8_t)(a[i] >> 4);
    }
    int8_t carry = 0;
    for (int i = 0; i < 63; i++) {
        e[i] = (int8_t)(e[i] + carry);
        carry = (int8_t)((e[i] + 8) >> 4);
        e[i] = (int8_t)(e[i] - (carry << 4));
    }
    e[63] = (int8_t)(e[63] + carry);
}

// Thirty-two signed digits in [-128, 127] with sum e[j] 256^j = the scalar (which is below 2^253,
// so the top digit takes the last carry and stays below 33).
static void scalar_digits_256(int16_t e[32], const uint8_t a[32]) {
    int carry = 0;
    for (int j = 0; j < 32; j++) {
        int digit = a[j] + carry;
        carry = digit >= 128 && j < 31;
        e[j] = (int16_t)(digit - (carry << 8));
    }
}

// acc += digit * row-entry, or acc -= it when `negate`; row[k] is (k + 1) times the row's point.
static void add_digit(point *acc, const niels *row, int digit, int negate) {
    if (digit == 0) return;
    int subtract = (digit < 0) != negate;
    int index = (digit < 0 ? -digit : digit) - 1;
    point_add_niels(acc, acc, &row[index], subtract);
}

int tender_ed25519_combine(uint8_t out[32], const void *table, const uint8_t s[32], const uint8_t hash[64]) {
    pthread_once(&constants_once, derive_constants);
    if (!constants_ready) return 0;
    uint64_t sw[4];
    scalar_load(sw, s);
    if (!scalar_below_order(sw)) return 0;
    uint8_t h[32];
    tender_ed25519_reduce(h, hash);
    int8_t eh[64];
    int16_t es[32];
    scalar_digits(eh, h);
    scalar_digits_256(es, s);
    const comb_table *a = (const comb_table *)table;

    // -[h]A: sum e[i] 16^i A = 16 * (sum over odd i of e[i] 256^((i-1)/2) A) + sum over even i of
    // e[i] 256^(i/2) A, so one set of four doublings serves all 64 digits.
    point acc;
    point_identity(&acc);
    for (int i = 1; i < 64; i += 2) add_digit(&acc, a->entry[i / 2], eh[i], 1);
    for (int n = 0; n < 4; n++) point_double(&acc, &acc);
    for (int i = 0; i < 64; i += 2) add_digit(&acc, a->entry[i / 2], eh[i], 1);
    // +[s]B: sum e[j] 256^j B, one entry of the base table per byte, after the doublings.
    for (int j = 0; j < 32; j++) add_digit(&acc, base_table.entry[j], es[j], 0);
    point_encode(out, &acc);
    return 1;
}
