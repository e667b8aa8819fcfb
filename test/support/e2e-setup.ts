// End-to-end tests run whole campaigns against real services; the default 5 s is for unit tests.
jest.setTimeout(300_000);
