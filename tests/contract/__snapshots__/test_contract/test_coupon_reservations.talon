[
  {
    "attributes": {},
    "campaignId": "<campaignId-1>",
    "created": "<created>",
    "id": "<id-1>",
    "isReservationMandatory": false,
    "reservation": true,
    "usageCounter": 0,
    "usageLimit": 0,
    "value": "WALLET/2026"
  },
  {
    "data": [
      {
        "accountId": "<accountId-1>",
        "attributes": {},
        "closedSessions": 0,
        "created": "<created>",
        "id": "<id-1>",
        "integrationId": "ivan",
        "lastActivity": "<lastActivity>",
        "sandbox": true,
        "totalSales": 0
      },
      {
        "accountId": "<accountId-1>",
        "attributes": {},
        "closedSessions": 0,
        "created": "<created>",
        "id": "<id-2>",
        "integrationId": "judy",
        "lastActivity": "<lastActivity>",
        "sandbox": true,
        "totalSales": 0
      }
    ],
    "totalResultSize": 2
  },
  {
    "data": [
      {
        "accountId": "<accountId-1>",
        "attributes": {},
        "closedSessions": 0,
        "created": "<created>",
        "id": "<id-1>",
        "integrationId": "ivan",
        "lastActivity": "<lastActivity>",
        "sandbox": true,
        "totalSales": 0
      }
    ],
    "totalResultSize": 1
  }
]
