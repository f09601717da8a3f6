/*
 * Test driver: prints the model id and labels, then for every image in the raw pixel file argv[1]
 * (EDGEML_INPUT_SIZE bytes each) the class of edgeml_classify and the int8 logits of edgeml_infer.
 */
#include <stdio.h>
#include <string.h>
#include "edgeml_infer.h"

int main(int argc, char **argv) {
    static uint8_t pixels[EDGEML_INPUT_SIZE];
    static int8_t input[EDGEML_INPUT_SIZE];
    /* EDGEML_SCRATCH_BYTES, then guard bytes that must survive every inference. */
    static int8_t scratch[EDGEML_SCRATCH_BYTES + 64];
    int8_t logits[EDGEML_CLASSES];
    int8_t again[EDGEML_CLASSES];
    FILE *f;
    int c;
    if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL) {
        fprintf(stderr, "usage: images_driver PIXELS\n");
        return 2;
    }
    printf("id %s %d %d %d\n", EDGEML_MODEL_ID, EDGEML_INPUT_SIZE, EDGEML_CLASSES, EDGEML_LAYERS);
    for (c = 0; c < EDGEML_CLASSES; c++) {
        printf("label %s\n", edgeml_label(c));
    }
    memset(scratch + EDGEML_SCRATCH_BYTES, 0x5a, 64);
    while (fread(pixels, 1, EDGEML_INPUT_SIZE, f) == EDGEML_INPUT_SIZE) {
        int predicted = edgeml_classify(pixels);
        edgeml_quantize_input(pixels, input);
        edgeml_infer(input, logits);
        edgeml_infer_with_scratch(input, again, scratch);
        if (memcmp(logits, again, sizeof logits) != 0) {
            printf("scratch variant differs\n");
        }
        for (c = 0; c < 64; c++) {
            if (scratch[EDGEML_SCRATCH_BYTES + c] != 0x5a) {
                printf("wrote past EDGEML_SCRATCH_BYTES\n");
                break;
            }
        }
        printf("%d", predicted);
        for (c = 0; c < EDGEML_CLASSES; c++) {
            printf(" %d", (int)logits[c]);
        }
        printf("\n");
    }
    fclose(f);
    return 0;
}
