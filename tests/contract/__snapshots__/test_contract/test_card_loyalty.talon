[
  {
    "created": "<created>",
    "id": "<id-1>",
    "identifier": "CARD-0042",
    "ledger": {
      "currentBalance": 0,
      "expiredBalance": 0,
      "negativeBalance": 0,
      "pendingBalance": 0,
      "spentBalance": 0,
      "tentativeCurrentBalance": 0,
      "tentativePendingBalance": 0
    },
    "profiles": [
      {
        "integrationId": "kim",
        "timestamp": "<timestamp>"
      }
    ],
    "programID": "<programID-1>",
    "programName": "Cards",
    "programTitle": "Cards",
    "status": "active",
    "usersPerCardLimit": 3
  },
  {
    "created": "<created>",
    "id": "<id-1>",
    "identifier": "CARD-0042",
    "ledger": {
      "currentBalance": 0,
      "expiredBalance": 0,
      "negativeBalance": 0,
      "pendingBalance": 0,
      "spentBalance": 0,
      "tentativeCurrentBalance": 0,
      "tentativePendingBalance": 0
    },
    "modified": "<modified>",
    "profiles": [
      {
        "integrationId": "kim",
        "timestamp": "<timestamp>"
      },
      {
        "integrationId": "lee",
        "timestamp": "<timestamp>"
      }
    ],
    "programID": "<programID-1>",
    "programName": "Cards",
    "programTitle": "Cards",
    "status": "active",
    "usersPerCardLimit": 3
  },
  {
    "created": "<created>",
    "id": "<id-1>",
    "identifier": "CARD-0042",
    "ledger": {
      "currentBalance": 0,
      "expiredBalance": 0,
      "negativeBalance": 0,
      "pendingBalance": 0,
      "spentBalance": 0,
      "tentativeCurrentBalance": 0,
      "tentativePendingBalance": 0
    },
    "modified": "<modified>",
    "profiles": [
      {
        "integrationId": "kim",
        "timestamp": "<timestamp>"
      }
    ],
    "programID": "<programID-1>",
    "programName": "Cards",
    "programTitle": "Cards",
    "status": "active",
    "usersPerCardLimit": 3
  },
  {
    "balance": {
      "activePoints": 3,
      "expiredPoints": 0,
      "negativePoints": 0,
      "pendingPoints": 0,
      "spentPoints": 0
    },
    "profiles": [
      {
        "integrationId": "kim",
        "timestamp": "<timestamp>"
      }
    ],
    "subledgerBalances": {}
  },
  {
    "data": [
      {
        "amount": 3,
        "cardIdentifier": "CARD-0042",
        "created": "<created>",
        "customerSessionId": "c-order-5",
        "expiryDate": "unlimited",
        "id": "<id-1>",
        "name": "Card points",
        "programId": "<programId-1>",
        "startDate": "immediate",
        "subledgerId": "",
        "transactionUUID": "<transactionUUID-1>",
        "type": "addition"
      }
    ],
    "hasMore": false
  },
  {
    "data": [
      {
        "amount": 3,
        "created": "<created>",
        "customerProfileID": "kim",
        "customerSessionId": "c-order-5",
        "expiryDate": "unlimited",
        "id": "<id-1>",
        "name": "Card points",
        "programId": "<programId-1>",
        "startDate": "immediate",
        "subledgerId": "",
        "transactionUUID": "<transactionUUID-1>"
      }
    ],
    "hasMore": false
  }
]
