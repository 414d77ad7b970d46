package dev.sentikit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceTest {

    private static final int GPU = 3;
    private static final String VALID_FORMS = "expected auto, cpu, cuda or cuda:N";

    @Test
    void parsesEveryFormIgnoringCaseAndSurroundingSpace() {
        assertSame(Device.AUTO, Device.parse("auto"));
        assertSame(Device.CPU, Device.parse(" CPU "));
        assertEquals(Device.cuda(0), Device.parse("cuda"));
        assertEquals(Device.cuda(0), Device.parse("GPU"));
        assertEquals(Device.cuda(GPU), Device.parse("cuda:3"));
        assertEquals(Device.cuda(GPU), Device.parse("Gpu:3"));
    }

    @Test
    void kindAndGpuId() {
        assertEquals(Device.Kind.AUTO, Device.AUTO.kind());
        assertEquals(Device.Kind.CPU, Device.CPU.kind());
        assertEquals(-1, Device.CPU.gpuId());
        assertEquals(Device.Kind.CUDA, Device.cuda(GPU).kind());
        assertEquals(GPU, Device.cuda(GPU).gpuId());
    }

    @Test
    void toStringParsesBack() {
        for (Device d : List.of(Device.AUTO, Device.CPU, Device.cuda(0), Device.cuda(GPU))) {
            assertEquals(d, Device.parse(d.toString()), d.toString());
        }
        assertEquals("cuda:3", Device.cuda(GPU).toString());
        assertEquals("cpu", Device.CPU.toString());
    }

    @Test
    void unknownFormsNameTheValueAndTheValidForms() {
        for (String bad : List.of("tpu", "cuda:x", "cuda:", "", "cpu:0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad));
            assertEquals("unknown device '" + bad + "': " + VALID_FORMS, e.getMessage());
        }
    }

    @Test
    void negativeGpuIdIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.cuda(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Device.parse(null));
    }

    @Test
    void negativeGpuNumberNamesTheValidFormsAndTheRuleForN() {
        for (String bad : List.of("cuda:-1", "GPU:-3")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad));
            assertEquals("invalid device '" + bad + "': " + VALID_FORMS + ", where N is a GPU number >= 0",
                    e.getMessage());
        }
    }

    @Test
    void equalityIsByKindAndGpu() {
        assertEquals(Device.cuda(1), Device.cuda(1));
        assertEquals(Device.cuda(1).hashCode(), Device.cuda(1).hashCode());
        assertNotEquals(Device.cuda(1), Device.cuda(2));
        assertNotEquals(Device.CPU, Device.AUTO);
        assertNotEquals(Device.cuda(0), Device.CPU);
    }
}
