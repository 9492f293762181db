[
  {
    "accountId": "<accountId-1>",
    "created": "<created>",
    "id": "<id-1>",
    "integration": "segment",
    "integrationId": "seg-1",
    "name": "VIP"
  },
  {
    "accountId": "<accountId-1>",
    "created": "<created>",
    "id": "<id-1>",
    "integration": "segment",
    "integrationId": "seg-1",
    "name": "Very important"
  }
]
