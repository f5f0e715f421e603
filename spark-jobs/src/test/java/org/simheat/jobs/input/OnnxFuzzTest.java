package org.simheat.jobs.input;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Fuzzes the ONNX reader: the protobuf scan of the model and graph, the initializers and their raw
 * or typed data. Seeds: {@code OnnxFuzzTestInputs/onnx/}.
 */
class OnnxFuzzTest {
  @FuzzTest(maxDuration = FuzzTarget.MAX_DURATION)
  void onnx(byte[] data) throws IOException {
    String file = FuzzTarget.write("in.onnx", data).toString();
    FuzzTarget.expectUserErrorsOnly(
        () -> FuzzTarget.readSome(OnnxReader.open(file, null, FuzzTarget.CONF)));
  }
}
