package org.simheat.jobs.input;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Fuzzes the {@code .npy} reader (magic, version, header length, the header's Python literal and
 * the data extent). Seeds: {@code NpyFuzzTestInputs/npy/}.
 */
class NpyFuzzTest {
  @FuzzTest(maxDuration = FuzzTarget.MAX_DURATION)
  void npy(byte[] data) throws IOException {
    String file = FuzzTarget.write("in.npy", data).toString();
    FuzzTarget.expectUserErrorsOnly(
        () -> FuzzTarget.readSome(NpyReader.open(file, FuzzTarget.CONF)));
  }
}
