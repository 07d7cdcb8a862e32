package dev.workcell.controlplane.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/**
 * REST calls of @QuarkusTest classes carry the test admin token unless they say otherwise (auth()):
 * the tests of behaviour are not about who calls; the security tests say who does.
 */
public class AdminByDefault implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.authentication = RestAssured.oauth2(TestCredentials.ADMIN);
    }
}
