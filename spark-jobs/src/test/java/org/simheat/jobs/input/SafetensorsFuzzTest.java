package org.simheat.jobs.input;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Fuzzes the safetensors reader: header length, JSON header, dtypes, shapes and offsets against the
 * file. Seeds: {@code SafetensorsFuzzTestInputs/safetensors/}.
 */
class SafetensorsFuzzTest {
  @FuzzTest(maxDuration = FuzzTarget.MAX_DURATION)
  void safetensors(byte[] data) throws IOException {
    String file = FuzzTarget.write("in.safetensors", data).toString();
    FuzzTarget.expectUserErrorsOnly(
        () -> FuzzTarget.readSome(SafetensorsReader.open(file, null, FuzzTarget.CONF)));
  }
}
