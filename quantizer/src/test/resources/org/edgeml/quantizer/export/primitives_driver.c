/*
 * Test driver: reads cases from stdin, one a line, and prints one result a line:
 *   S a b      edgeml_saturating_rounding_doubling_high_mul(a, b)
 *   R x e      edgeml_rounding_divide_by_pot(x, e)
 *   M x m s    edgeml_multiply_by_quantized_multiplier(x, m, s)
 */
#include <stdio.h>
#include "edgeml_infer.h"

int main(void) {
    char op;
    long a;
    long b;
    long s;
    while (scanf(" %c %ld %ld", &op, &a, &b) == 3) {
        if (op == 'S') {
            printf("%ld\n", (long)edgeml_saturating_rounding_doubling_high_mul((int32_t)a, (int32_t)b));
        } else if (op == 'R') {
            printf("%ld\n", (long)edgeml_rounding_divide_by_pot((int32_t)a, (int)b));
        } else if (op == 'M' && scanf(" %ld", &s) == 1) {
            printf("%ld\n", (long)edgeml_multiply_by_quantized_multiplier((int32_t)a, (int32_t)b, (int)s));
        } else {
            fprintf(stderr, "bad case '%c'\n", op);
            return 2;
        }
    }
    return 0;
}
