#ifndef SLUICE_CLIBFUZZER_H
#define SLUICE_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (LLVM 13 and later), linked by `-sanitize=fuzzer`: parses libFuzzer's flags from the
/// command line and runs `callback` on every input.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
