package io.mycelium.transport.stream.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PartialFrameBudgetTest {

    @Test
    void shouldRefuseGrowthWithoutChargingWhenBudgetWouldBeExceeded() {
        final PartialFrameBudget budget = new PartialFrameBudget(100);
        assertTrue(budget.charge(60));
        assertFalse(budget.charge(41), "60 + 41 > 100");
        assertEquals(60, budget.held(), "a refused growth is not charged");
        assertTrue(budget.charge(40));
        assertTrue(budget.charge(-100), "a release always succeeds");
        assertEquals(0, budget.held());
    }
}
