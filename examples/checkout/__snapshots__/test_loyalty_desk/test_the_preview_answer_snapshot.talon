[
  {
    "createdCoupons": [],
    "createdReferrals": [],
    "customerProfile": {
      "accountId": "<accountId-1>",
      "attributes": {
        "Name": "Kim",
        "Tier": "basic"
      },
      "closedSessions": 0,
      "created": "<created>",
      "id": "<id-1>",
      "integrationId": "kim",
      "lastActivity": "<lastActivity>",
      "sandbox": true,
      "totalSales": 0
    },
    "effects": [
      {
        "campaignId": "<campaignId-1>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "name": "10% back",
          "programId": "<programId-1>",
          "recipientIntegrationId": "kim",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-1>",
          "value": 0
        },
        "ruleIndex": 0,
        "ruleName": "Earn points",
        "rulesetId": "<rulesetId-1>"
      }
    ]
  },
  {
    "createdCoupons": [],
    "createdReferrals": [],
    "customerSession": {
      "additionalCostTotal": 0,
      "applicationId": "<applicationId-1>",
      "attributes": {},
      "cartItemTotal": 8.5,
      "cartItems": [
        {
          "position": 0,
          "price": 8.5,
          "quantity": 1,
          "sku": "MUG-1"
        }
      ],
      "couponCodes": [],
      "created": "<created>",
      "firstSession": true,
      "id": "<id-1>",
      "integrationId": "preview-kim",
      "profileId": "kim",
      "state": "open",
      "total": 8.5,
      "updateCount": 0,
      "updated": "<updated>"
    },
    "effects": [
      {
        "campaignId": "<campaignId-1>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "name": "10% back",
          "programId": "<programId-1>",
          "recipientIntegrationId": "kim",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-2>",
          "value": 0.85
        },
        "ruleIndex": 0,
        "ruleName": "Earn points",
        "rulesetId": "<rulesetId-1>"
      }
    ]
  }
]
