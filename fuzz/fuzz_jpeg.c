/* The JPEG header reader behind group pictures: any bytes, never a read out of bounds
 * (ASan), and wa_check_picture accepts only what Meta's rules allow. */
#include "fuzz.h"
#include "wa_jpeg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned w = 0, h = 0;
    int sized = wa_jpeg_size(data, size, &w, &h);
    wa_verr e;

    if (sized == 0)
        FUZZ_CHECK(size >= 4 && data[0] == 0xFF && data[1] == 0xD8 && w <= 65535 && h <= 65535,
                   "a size comes only from a JPEG, and fits 16 bits");
    else
        FUZZ_CHECK(sized == -1, "-1 for anything else");
    if (wa_check_picture("picture", data, size, &e) == 0)
        FUZZ_CHECK(sized == 0 && w == h && w >= WA_PICTURE_MIN_SIDE, "accepted: square, >= 192");
    else
        FUZZ_CHECK(strcmp(e.field, "picture") == 0 && e.reason[0] != '\0', "refused by name");
    return 0;
}
