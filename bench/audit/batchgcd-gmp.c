/*
 * Reference batch gcd with GMP, for comparing Warden's BigInt implementation on the same moduli.
 *
 * Reads one modulus per line (hexadecimal) from the file named by the first argument and builds
 * the product tree. It then walks the classic remainder tree (P mod N^2 at each node, as in
 * Bernstein's method) and computes gcd(n_i, (P mod n_i^2) / n_i) for each leaf. Prints the phase times in
 * milliseconds and the number of moduli with a gcd other than 1, as one JSON object; with a
 * second argument, writes "index gcd-in-hex" lines for those moduli to that file.
 *
 * Build: gcc -O2 -o batchgcd-gmp batchgcd-gmp.c -lgmp
 */

#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static size_t read_moduli(const char *path, mpz_t **out) {
  FILE *file = fopen(path, "r");
  if (file == NULL) {
    perror(path);
    exit(2);
  }
  size_t capacity = 1024, count = 0;
  mpz_t *moduli = malloc(capacity * sizeof(mpz_t));
  char *line = NULL;
  size_t length = 0;
  while (getline(&line, &length, file) > 0) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '\0') continue;
    if (count == capacity) {
      capacity *= 2;
      moduli = realloc(moduli, capacity * sizeof(mpz_t));
    }
    mpz_init(moduli[count]);
    if (mpz_set_str(moduli[count], line, 16) != 0) {
      fprintf(stderr, "Invalid modulus on line %zu\n", count + 1);
      exit(2);
    }
    count += 1;
  }
  free(line);
  fclose(file);
  *out = moduli;
  return count;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "Usage: %s MODULI_FILE [GCD_OUTPUT_FILE]\n", argv[0]);
    return 2;
  }
  mpz_t *leaves;
  size_t count = read_moduli(argv[1], &leaves);
  if (count == 0) {
    fprintf(stderr, "No moduli in %s\n", argv[1]);
    return 2;
  }

  /* Product tree: levels[0] are the leaves, the last level is the root. */
  double start = now_ms();
  size_t depth = 1;
  for (size_t width = count; width > 1; width = (width + 1) / 2) depth += 1;
  mpz_t **levels = malloc(depth * sizeof(mpz_t *));
  size_t *widths = malloc(depth * sizeof(size_t));
  levels[0] = leaves;
  widths[0] = count;
  for (size_t level = 1; level < depth; level += 1) {
    size_t below = widths[level - 1];
    widths[level] = (below + 1) / 2;
    levels[level] = malloc(widths[level] * sizeof(mpz_t));
    for (size_t i = 0; i < widths[level]; i += 1) {
      mpz_init(levels[level][i]);
      if (2 * i + 1 < below)
        mpz_mul(levels[level][i], levels[level - 1][2 * i], levels[level - 1][2 * i + 1]);
      else
        mpz_set(levels[level][i], levels[level - 1][2 * i]);
    }
  }
  double product_ms = now_ms() - start;

  /* Remainder tree: each node gets (parent remainder) mod node^2, starting from the root P. */
  start = now_ms();
  mpz_t *remainders = malloc(sizeof(mpz_t));
  mpz_init_set(remainders[0], levels[depth - 1][0]);
  mpz_t square;
  mpz_init(square);
  for (size_t level = depth - 1; level-- > 0;) {
    mpz_t *next = malloc(widths[level] * sizeof(mpz_t));
    for (size_t i = 0; i < widths[level]; i += 1) {
      mpz_init(next[i]);
      mpz_mul(square, levels[level][i], levels[level][i]);
      mpz_mod(next[i], remainders[i / 2], square);
    }
    for (size_t i = 0; i < widths[level + 1]; i += 1) mpz_clear(remainders[i]);
    free(remainders);
    remainders = next;
  }
  double remainder_ms = now_ms() - start;

  /* Leaves: gcd(n, (P mod n^2) / n). */
  start = now_ms();
  FILE *output = argc > 2 ? fopen(argv[2], "w") : NULL;
  size_t flagged = 0;
  mpz_t quotient, divisor;
  mpz_inits(quotient, divisor, NULL);
  for (size_t i = 0; i < count; i += 1) {
    mpz_divexact(quotient, remainders[i], leaves[i]);
    mpz_gcd(divisor, quotient, leaves[i]);
    if (mpz_cmp_ui(divisor, 1) != 0) {
      flagged += 1;
      if (output != NULL) gmp_fprintf(output, "%zu %Zx\n", i, divisor);
    }
  }
  double gcd_ms = now_ms() - start;
  if (output != NULL) fclose(output);

  printf("{\"moduli\":%zu,\"productTreeMs\":%.1f,\"remainderTreeMs\":%.1f,\"gcdMs\":%.1f,"
         "\"totalMs\":%.1f,\"flagged\":%zu}\n",
         count, product_ms, remainder_ms, gcd_ms, product_ms + remainder_ms + gcd_ms, flagged);
  return 0;
}
