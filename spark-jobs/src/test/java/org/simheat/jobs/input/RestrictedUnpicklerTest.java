package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestrictedUnpicklerTest {
  private static final RestrictedUnpickler.Resolver NOTHING =
      new RestrictedUnpickler.Resolver() {
        @Override
        public Object global(String module, String name) {
          throw new IllegalArgumentException("refused " + module + "." + name);
        }

        @Override
        public Object persistent(Object pid) {
          throw new IllegalArgumentException("refused pid");
        }
      };

  private static Object load(String hex) {
    return RestrictedUnpickler.load(HexFormat.of().parseHex(hex), NOTHING, "t.pkl");
  }

  @Test
  void readsProtocolFourScalarsAndContainers() {
    // pickle.dumps({'a': (1, -2, 300, -70000), 'b': [2**70, -2**40, 1.5], 'c': 'xxx',
    //               'd': None, 'e': (True, False), 'f': ('z',)}, protocol=4)
    Object v =
        load(
            "80049560000000000000007d94288c016194284b014afeffffff4d2c014a90eefeff74948c0162945d9428"
                + "8a090000000000000000408a060000000000ff473ff8000000000000658c0163948c037878789"
                + "48c0164944e8c016594888986948c0166948c017a948594752e");

    assertThat(v).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<Object, Object> m = (Map<Object, Object>) v;
    assertThat(m.keySet()).containsExactly((Object) "a", "b", "c", "d", "e", "f");
    assertThat(m.get("a")).isEqualTo(List.of(1L, -2L, 300L, -70000L));
    assertThat(m.get("b")).isEqualTo(List.of(BigInteger.TWO.pow(70), -(1L << 40), 1.5));
    assertThat(m.get("c")).isEqualTo("xxx");
    assertThat(m.containsKey("d")).isTrue();
    assertThat(m.get("d")).isNull();
    assertThat(m.get("e")).isEqualTo(List.of(true, false));
    assertThat(m.get("f")).isEqualTo(List.of("z"));
  }

  @Test
  void readsMemoisedProtocolTwoLists() {
    // pickle.dumps([[1], [2]], protocol=2): BINPUT, APPEND, APPENDS
    assertThat(load("80025d7100285d71014b01615d71024b0261652e"))
        .isEqualTo(List.of(List.of(1L), List.of(2L)));
  }

  @Test
  void handsStackGlobalImportsToTheResolver() {
    // pickle.dumps(getattr, protocol=4)
    assertThatThrownBy(
            () -> load("80049518000000000000008c086275696c74696e73948c07676574617474729493942e"))
        .hasMessage("refused builtins.getattr");
  }

  @Test
  void refusesUnsupportedOpcodes() {
    // PROTO 2, then INST (0x69), which torch.save never emits
    assertThatThrownBy(() -> load("80026961"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read embeddings: the pickle uses opcode 0x69 at byte 2, which is not"
                + " supported (t.pkl)");
  }

  @Test
  void refusesCallingAValueThatIsNoFunction() {
    // SHORT_BINUNICODE 'x', EMPTY_TUPLE, REDUCE
    assertThatThrownBy(() -> load("80028c0178295200"))
        .hasMessage(
            "Cannot read embeddings: the pickle calls a value of type String, which may not be"
                + " called (t.pkl)");
  }

  @Test
  void reportsTruncationAndUnknownMemoEntries() {
    assertThatThrownBy(() -> load("8002580a000000616263"))
        .hasMessage("Cannot read embeddings: the pickle data.pkl is truncated (t.pkl)");
    assertThatThrownBy(() -> load("800268052e"))
        .hasMessage(
            "Cannot read embeddings: the pickle recalls memo entry 5, which was never stored"
                + " (t.pkl)");
    assertThatThrownBy(() -> load("80022e"))
        .hasMessageContaining("the pickle is malformed: its stack is empty");
  }
}
