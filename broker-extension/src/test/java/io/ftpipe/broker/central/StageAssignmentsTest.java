package io.ftpipe.broker.central;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StageAssignmentsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final StageAssignments a = new StageAssignments(now::get, Duration.ofNanos(100));

    private static JobReport.Term layout(String... devices) {
        List<JobReport.Stage> stages = new java.util.ArrayList<>();
        for (int s = 0; s < devices.length; s++) {
            stages.add(new JobReport.Stage(s, devices[s], s, s + 1, 1, 1));
        }
        return new JobReport.Term(1, 0, 0, stages, 1, Map.of(), "test");
    }

    @Test
    void aTermPlacesItsDevicesAndTheNextReplacesIt() {
        a.place("j1", layout("d0", "d1", "d2"));

        assertEquals(List.of(new AssignedStage("j1", 1, 3)), a.of("d1"));

        a.place("j1", layout("d2", "d0"));
        assertEquals(List.of(new AssignedStage("j1", 0, 2)), a.of("d2"));
        assertEquals(List.of(new AssignedStage("j1", 1, 2)), a.of("d0"));
        assertEquals(List.of(), a.of("d1"), "left out of the new plan");
    }

    @Test
    void lostStagesStayPublishableForTheGracePeriodOnly() {
        a.place("j1", layout("d0", "d1"));
        a.place("j1", layout("d1", "d0"));

        assertEquals(List.of(new AssignedStage("j1", 0, 2)), a.of("d1"));
        assertEquals(List.of(new AssignedStage("j1", 0, 2), new AssignedStage("j1", 1, 2)), a.ofRecently("d1"));

        now.addAndGet(99);
        assertEquals(2, a.ofRecently("d1").size());
        now.addAndGet(1);
        assertEquals(List.of(new AssignedStage("j1", 0, 2)), a.ofRecently("d1"));
    }

    @Test
    void jobsAreIndependentAndForgottenWhenTheyEndAfterTheGracePeriod() {
        a.place("j1", layout("d0", "d1"));
        a.place("j2", layout("d1", "d2"));

        assertEquals(2, a.of("d1").size());

        a.forget("j1");
        assertEquals(List.of(new AssignedStage("j2", 0, 2)), a.of("d1"));
        assertEquals(List.of(), a.of("d0"));
        assertEquals(List.of(new AssignedStage("j1", 0, 2)), a.ofRecently("d0"));
        a.forget("j2");
        a.forget("never-ran");
        now.addAndGet(100);
        assertEquals(List.of(), a.ofRecently("d2"));
        assertEquals(List.of(), a.ofRecently("d0"));
    }

    @Test
    void listenersHearEveryWriteBeforeItReturnsAndSeeItDone() {
        List<String> heard = new java.util.ArrayList<>();
        a.listen(() -> heard.add(a.of("d1").toString()));
        a.listen(() -> {
            throw new IllegalStateException("a failing listener undoes nothing");
        });
        a.place("j1", layout("d0", "d1"));
        assertEquals(List.of(List.of(new AssignedStage("j1", 1, 2)).toString()), heard);
        a.forget("j1");
        assertEquals(List.of(new AssignedStage("j1", 1, 2)).toString() + ", []", String.join(", ", heard));
        a.forget("j1");
        assertEquals(2, heard.size(), "forgetting a job that is gone changes nothing");
    }
}
