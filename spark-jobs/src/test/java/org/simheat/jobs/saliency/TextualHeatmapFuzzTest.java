package org.simheat.jobs.saliency;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.simheat.jobs.input.FuzzTarget;

/**
 * Fuzzes the textualheatmap JSON reader: facets, tokens, meta, heat and format fields. Seeds:
 * {@code TextualHeatmapFuzzTestInputs/json/}.
 */
class TextualHeatmapFuzzTest {
  @FuzzTest(maxDuration = FuzzTarget.MAX_DURATION)
  void json(byte[] data) throws IOException {
    Path file = new Path(FuzzTarget.write("in.json", data).toString());
    FuzzTarget.expectUserErrorsOnly(() -> TextualHeatmapReader.read(file, FuzzTarget.CONF));
  }
}
