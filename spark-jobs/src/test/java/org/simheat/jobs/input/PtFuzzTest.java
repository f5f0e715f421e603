package org.simheat.jobs.input;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Fuzzes the {@code .pt} reader: the whole file (zip directory, inflation, pickle, tensor extent)
 * and, on its own, the restricted unpickler with torch's allow-list, which mutations of a whole zip
 * rarely reach. Seeds: {@code PtFuzzTestInputs/pt/} and {@code PtFuzzTestInputs/pickle/}.
 */
class PtFuzzTest {
  @FuzzTest(maxDuration = FuzzTarget.MAX_DURATION)
  void pt(byte[] data) throws IOException {
    String file = FuzzTarget.write("in.pt", data).toString();
    FuzzTarget.expectUserErrorsOnly(
        () -> FuzzTarget.readSome(PtReader.open(file, null, FuzzTarget.CONF)));
  }

  @FuzzTest(maxDuration = FuzzTarget.MAX_DURATION)
  void pickle(byte[] data) throws IOException {
    FuzzTarget.expectUserErrorsOnly(
        () -> PtTensorIndex.of(TorchPickle.load(data, "data.pkl"), "data.pkl"));
  }
}
