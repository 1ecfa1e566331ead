package io.ftpipe.broker.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopicFilterTest {
    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "a/b/c,     a/b/c,     true",
            "a/b/c,     a/b,       false",
            "a/b,       a/b/c,     false",
            "a/+/c,     a/x/c,     true",
            "a/+/c,     a/+/c,     true",
            "a/+/c,     a/x/d,     false",
            "a/+/c,     a/#,       false",
            "a/x/c,     a/+/c,     false",
            "a/#,       a/b/c/d,   true",
            "a/#,       a/+/#,     true",
            "a/#,       a,         true",
            "a/#,       b/c,       false",
            "a/+,       a/#,       false",
            "+/b,       a/b,       true",
            "a/b,       '',        false",
    })
    void coversExactlyTheFiltersItsTopicsInclude(String pattern, String filter, boolean expected) {
        assertEquals(expected, TopicFilter.covers(pattern, filter));
    }
}
