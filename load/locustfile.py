"""Mixed traffic for `make load` (Locust, https://locust.io).

Every simulated client is a person with an account: holders look at their
data, correct and delete it, file requests and sign in again; officers work
the register; an administrator saves deadline policies. A response is a
failure when it is 5xx or not what that step expects; the run exits non-zero
when any response was 5xx. The hosts to spread the clients over come from
LOAD_HOSTS (comma-separated), so two instances can share one database.
"""

import itertools
import os
import random
import threading
import uuid

from locust import FastHttpUser, between, events, task

HOSTS = [h for h in os.environ.get("LOAD_HOSTS", "").split(",") if h]
SCALE_PASSWORD = "scale-password-1"
CATEGORIES = [
    "profile", "account_security", "posts", "conversations", "messages", "friends",
    "blocked", "location", "steps", "contacts", "cards", "devices", "sign_ins",
    "consents", "settings", "notifications", "requests", "activity",
]

_counters = {"host": itertools.count(0), "holder": itertools.count(0)}
_lock = threading.Lock()
server_errors = {"count": 0}


def next_number(counter):
    with _lock:
        return next(_counters[counter])


@events.request.add_listener
def count_server_errors(response=None, **_kwargs):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        server_errors["count"] += 1


@events.quitting.add_listener
def fail_on_server_errors(environment, **_kwargs):
    count = server_errors["count"]
    print(f"load: {count} responses with 5xx")
    if count:
        environment.process_exit_code = 1


class Person(FastHttpUser):
    abstract = True
    wait_time = between(0.0, 0.05)

    def on_start(self):
        if HOSTS:
            self.host = HOSTS[next_number("host") % len(HOSTS)]
            self.client.base_url = self.host
        self.token = None
        self.sign_in()

    def credentials(self):
        raise NotImplementedError

    def headers(self):
        return {"authorization": f"Bearer {self.token}"}

    def expect(self, response, *statuses):
        if response.status_code not in statuses:
            response.failure(f"{response.status_code}: {response.text[:200]}")
        else:
            response.success()

    def sign_in(self):
        email, password = self.credentials()
        with self.client.post(
            "/api/v1/auth/login",
            json={"email": email, "password": password},
            name="POST /auth/login",
            catch_response=True,
        ) as response:
            self.expect(response, 200)
            if response.status_code == 200:
                self.token = response.json()["token"]


class Holder(Person):
    weight = 8

    def credentials(self):
        # Each client is its own holder (as many holders are seeded as
        # there are clients), so no two clients delete the same item.
        if not hasattr(self, "number"):
            self.number = next_number("holder") % int(os.environ.get("LOAD_HOLDERS", "32")) + 1
        return f"holder-{self.number}@scale.example", SCALE_PASSWORD

    @task(3)
    def overview(self):
        with self.client.get("/api/v1/me/data", headers=self.headers(),
                             name="GET /me/data", catch_response=True) as r:
            self.expect(r, 200)

    @task(6)
    def category_page(self):
        category = random.choice(CATEGORIES)
        with self.client.get(f"/api/v1/me/data/{category}?limit=50", headers=self.headers(),
                             name="GET /me/data/{category}", catch_response=True) as r:
            self.expect(r, 200)

    @task(2)
    def correct_profile(self):
        with self.client.request("PATCH", "/api/v1/me/profile", headers=self.headers(),
                                 json={"signature": f"load {uuid.uuid4().hex[:8]}"},
                                 name="PATCH /me/profile", catch_response=True) as r:
            self.expect(r, 200)

    @task(2)
    def delete_a_location_point(self):
        with self.client.get("/api/v1/me/data/location?limit=1", headers=self.headers(),
                             name="GET /me/data/{category}", catch_response=True) as r:
            self.expect(r, 200)
            items = r.json().get("items", []) if r.status_code == 200 else []
        if items:
            with self.client.delete(f"/api/v1/me/data/location/{items[0]['id']}",
                                    headers=self.headers(),
                                    name="DELETE /me/data/{category}/{id}",
                                    catch_response=True) as r:
                self.expect(r, 200, 204)

    @task(1)
    def file_request(self):
        headers = dict(self.headers())
        headers["idempotency-key"] = str(uuid.uuid4())
        body = {"kind": random.choice(["access", "copy", "deletion", "correction"]),
                "channel": "in_app", "details": "Load test: what do you hold about me?"}
        with self.client.post("/api/v1/requests", headers=headers, json=body,
                              name="POST /requests", catch_response=True) as r:
            # 30 filings per holder per hour: past that, 429 is the right answer.
            self.expect(r, 201, 429)

    @task(1)
    def my_requests(self):
        with self.client.get("/api/v1/requests", headers=self.headers(),
                             name="GET /requests", catch_response=True) as r:
            self.expect(r, 200)

    @task(1)
    def sign_in_again(self):
        self.sign_in()


class Officer(Person):
    weight = 2

    def credentials(self):
        return "officer@example.com", "officer-password-1"

    @task(3)
    def register(self):
        with self.client.get("/api/v1/officer/requests?limit=50", headers=self.headers(),
                             name="GET /officer/requests", catch_response=True) as r:
            self.expect(r, 200)

    @task(3)
    def work_a_request(self):
        with self.client.get("/api/v1/officer/requests?assignee=none&status=in_progress&limit=20",
                             headers=self.headers(), name="GET /officer/requests",
                             catch_response=True) as r:
            self.expect(r, 200)
            rows = r.json() if r.status_code == 200 else []
        if not rows:
            return
        ack = random.choice(rows)["ack"]
        # Another officer client may have taken it a moment ago: 409 is a
        # correct answer then, never a 5xx.
        with self.client.post(f"/api/v1/officer/requests/{ack}/assign", headers=self.headers(),
                              json={}, name="POST /officer/requests/{ack}/assign",
                              catch_response=True) as r:
            self.expect(r, 200, 409)
        with self.client.post(f"/api/v1/officer/requests/{ack}/note", headers=self.headers(),
                              json={"text": "Load test note."},
                              name="POST /officer/requests/{ack}/note", catch_response=True) as r:
            self.expect(r, 200)

    @task(1)
    def metrics(self):
        with self.client.get("/api/v1/officer/metrics", headers=self.headers(),
                             name="GET /officer/metrics", catch_response=True) as r:
            self.expect(r, 200)


class Administrator(Person):
    fixed_count = 1

    def credentials(self):
        return "admin@example.com", "admin-password-1"

    @task
    def save_a_policy(self):
        with self.client.get("/api/v1/admin/policies", headers=self.headers(),
                             name="GET /admin/policies", catch_response=True) as r:
            self.expect(r, 200)
            policies = r.json() if r.status_code == 200 else []
        stored = [p for p in policies if p["name"] == "gdpr-1m"]
        if not stored:
            return
        with self.client.put("/api/v1/admin/policies/gdpr-1m", headers=self.headers(),
                             json=stored[0]["rules"], name="PUT /admin/policies/{name}",
                             catch_response=True) as r:
            self.expect(r, 200)

    @task
    def audit(self):
        with self.client.get("/api/v1/admin/audit", headers=self.headers(),
                             name="GET /admin/audit", catch_response=True) as r:
            self.expect(r, 200)
