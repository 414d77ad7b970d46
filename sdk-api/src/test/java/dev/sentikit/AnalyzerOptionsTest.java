package dev.sentikit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AnalyzerOptionsTest {

    private static final int THREADS = 4;
    private static final int BATCH = 32;

    @Test
    void defaultsAreAutoEngineThreadsAndBatchesOf256() {
        AnalyzerOptions d = AnalyzerOptions.defaults();
        assertEquals(Device.AUTO, d.device());
        assertEquals(0, d.intraOpThreads());
        assertEquals(256, d.maxBatchSize());
        assertEquals(0, d.parallelism());
        assertEquals(0, d.maxBatchTokens());
        assertEquals(AnalyzerOptions.DEFAULT_MAX_BATCH_SIZE, AnalyzerOptions.builder().build().maxBatchSize());
    }

    @Test
    void builderSetsEverySetting() {
        AnalyzerOptions o = AnalyzerOptions.builder().optDevice(Device.cuda(1)).optIntraOpThreads(THREADS)
                .optMaxBatchSize(BATCH).optMaxBatchTokens(BATCH * 64).optParallelism(3).build();
        assertEquals(BATCH * 64, o.maxBatchTokens());
        assertEquals(3, o.parallelism());
        assertEquals(Device.cuda(1), o.device());
        assertEquals(THREADS, o.intraOpThreads());
        assertEquals(BATCH, o.maxBatchSize());
    }

    @Test
    void deviceCanBeGivenAsText() {
        assertEquals(Device.CPU, AnalyzerOptions.builder().optDevice("cpu").build().device());
        assertEquals(Device.cuda(2), AnalyzerOptions.builder().optDevice("cuda:2").build().device());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AnalyzerOptions.builder().optDevice("npu"));
        assertEquals("unknown device 'npu': expected auto, cpu, cuda or cuda:N", e.getMessage());
    }

    @Test
    void invalidSettingsAreRejectedWhenSetNamingTheValue() {
        AnalyzerOptions.Builder b = AnalyzerOptions.builder();
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class, () -> b.optIntraOpThreads(-1));
        assertEquals("intraOpThreads must be >= 0 (0 = engine default), got -1", threads.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> b.optMaxBatchSize(0));
        assertEquals("maxBatchSize must be >= 1, got 0", batch.getMessage());
        IllegalArgumentException tokens = assertThrows(IllegalArgumentException.class, () -> b.optMaxBatchTokens(-1));
        assertEquals("maxBatchTokens must be >= 0 (0 = engine default), got -1", tokens.getMessage());
        IllegalArgumentException parallelism = assertThrows(IllegalArgumentException.class,
                () -> b.optParallelism(-2));
        assertEquals("parallelism must be >= 0 (0 = engine default), got -2", parallelism.getMessage());
        assertThrows(NullPointerException.class, () -> b.optDevice((Device) null));
    }

    @Test
    void builtOptionsDoNotChangeWithTheBuilder() {
        AnalyzerOptions.Builder b = AnalyzerOptions.builder().optMaxBatchSize(BATCH);
        AnalyzerOptions first = b.build();
        b.optMaxBatchSize(BATCH * 2).optDevice(Device.CPU);
        assertEquals(BATCH, first.maxBatchSize());
        assertEquals(Device.AUTO, first.device());
    }
}
